package dev.logqueue.broker.cluster.boundary;

import dev.logqueue.broker.cluster.control.ClusterSettings;
import dev.logqueue.broker.queue.entity.LogQueueException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * In a cluster, a change to every partition of a topic (deleting it or a consumer, its retention):
 * the same request for each partition above 0, sent through this member's own URL, whose filter
 * routes it to the member that serves that partition ({@link Forwarding}); the change to partition
 * 0 is the caller's to make after. Any failure fails the whole (503, try again: each partition's
 * change can be made again).
 */
@ApplicationScoped
public class PartitionFanOut {

  @Inject ClusterSettings settings;
  @Inject Forwarder forwarder;

  /**
   * Sends {@code method} of {@code path} (from the server's root, with its query string if any)
   * with {@code body} for partitions 1 to {@code count - 1}, with the caller's credentials.
   */
  public CompletableFuture<Void> toEach(
      int count, String method, String path, byte[] body, String authorization) {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    String separator = path.contains("?") ? "&" : "?";
    for (int p = 1; p < count; p++) {
      int partition = p;
      String url = settings.advertisedUrl() + path + separator + "partition=" + p;
      sent.add(
          forwarder
              .send(url, method, body, authorization)
              .handle(
                  (answer, failure) -> {
                    if (failure != null) {
                      throw LogQueueException.unavailable(
                          "Partition " + partition + " did not answer; try again", failure);
                    }
                    if (answer.statusCode() / 100 != 2) {
                      throw LogQueueException.unavailable(
                          "Partition "
                              + partition
                              + " answered "
                              + answer.statusCode()
                              + " "
                              + new String(answer.body(), StandardCharsets.UTF_8)
                              + "; try again");
                    }
                    return null;
                  }));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }
}
