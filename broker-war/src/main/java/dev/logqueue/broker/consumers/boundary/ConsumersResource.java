package dev.logqueue.broker.consumers.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.control.QueueSettings;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Consumers: register for a topic, then take its messages in order from their own offset. Consume
 * takes its parameters from the query string or a JSON body; POST is its synonym for clients that
 * cannot send a body with GET (and the safer form: a consume changes state).
 */
@ApplicationScoped
@Path("consumer")
public class ConsumersResource {

  @Inject LogQueueService queue;

  /** {@code {"topic": T}}; T must exist; the consumer starts at the beginning of T. */
  @POST
  @Path("register")
  public void register(byte[] body, @Suspended AsyncResponse async) {
    TopicName topic = JsonRequest.of(body).topic();
    Replies.answer(
        async, queue.registerConsumer(topic), id -> Replies.ok("consumer_id", id.value()));
  }

  /**
   * {@code topic} and {@code consumer_id}, in the query string or a JSON body. With {@code max} (1
   * to 1000) the answer is a batch, {@code {"messages": [...]}}, empty when there is nothing to
   * read; with {@code wait_ms} (0 to 30000) it waits that long for a message to arrive instead of
   * answering empty (or queue_empty) at once.
   */
  @GET
  @Path("consume")
  public void consume(@Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(context);
    TopicName topic = request.topic();
    ConsumerId consumer = request.consumerId();
    Optional<Integer> max = request.integer("max", 1, QueueSettings.CONSUME_MAX_MESSAGES);
    int waitMillis =
        request.integer("wait_ms", 0, (int) QueueSettings.CONSUME_MAX_WAIT.toMillis()).orElse(0);
    Duration wait = Duration.ofMillis(waitMillis);
    CompletableFuture<List<String>> taken =
        queue.consume(topic, consumer, max.orElse(1), max.isEmpty(), wait);
    Replies.answer(
        async,
        taken,
        wait,
        messages ->
            max.isPresent() ? Replies.ok("messages", messages) : Replies.message(messages.get(0)));
  }

  @POST
  @Path("consume")
  public void consumeByPost(
      @Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    consume(context, async);
  }
}
