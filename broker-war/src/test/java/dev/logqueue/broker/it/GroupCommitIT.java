package dev.logqueue.broker.it;

import static dev.logqueue.testkit.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Under group commit, "success" still means committed: producers send singly and in batches, at
 * once, and the broker is killed (SIGKILL) while they do. After a restart every acknowledged
 * message is there, once, in its producer's order.
 */
class GroupCommitIT {

  static final int PRODUCERS = 8;

  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void everyAcknowledgedMessageSurvivesAKillUnderConcurrentLoad() throws Exception {
    broker = Broker.on(Database.forSuite()).start();
    Wire wire = new Wire(broker.uri());
    Http http = wire.http();
    String topic = "durable";
    List<Long> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      producers.add(wire.registerProducer(topic));
    }
    Map<Integer, List<String>> acknowledged = new HashMap<>();
    AtomicBoolean killed = new AtomicBoolean();
    List<CompletableFuture<Void>> sending = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int number = p;
      List<String> mine = Collections.synchronizedList(new ArrayList<>());
      acknowledged.put(number, mine);
      sending.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; !killed.get(); ) {
                  try {
                    if (number % 2 == 0) {
                      String message = number + ":" + i;
                      Reply reply =
                          http.post(
                              "producer/produce",
                              json(
                                  "topic",
                                  topic,
                                  "producer_id",
                                  producers.get(number),
                                  "message",
                                  message));
                      if (reply.isSuccess()) {
                        mine.add(message);
                      }
                      i++;
                    } else {
                      var batch = Json.createArrayBuilder();
                      List<String> texts = new ArrayList<>();
                      for (int k = 0; k < 20; k++, i++) {
                        texts.add(number + ":" + i);
                        batch.add(number + ":" + i);
                      }
                      Reply reply =
                          http.post(
                              "producer/produce",
                              json(
                                  "topic",
                                  topic,
                                  "producer_id",
                                  producers.get(number),
                                  "messages",
                                  batch.build()));
                      if (reply.isSuccess()) {
                        mine.addAll(texts);
                      }
                    }
                  } catch (UncheckedIOException connectionLost) {
                    return; // the broker is gone: this request was not acknowledged
                  }
                }
              }));
    }
    Thread.sleep(3_000);
    killed.set(true);
    broker.kill();
    CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
    int total = acknowledged.values().stream().mapToInt(List::size).sum();
    assertTrue(total > 200, "the load ran: " + total + " acknowledged");

    broker.start();
    wire = new Wire(broker.uri());
    long reader = wire.registerConsumer(topic);
    List<String> stored = new ArrayList<>();
    for (List<String> page = wire.consume(topic, reader, 1000);
        !page.isEmpty();
        page = wire.consume(topic, reader, 1000)) {
      stored.addAll(page);
    }
    assertEquals(stored.size(), stored.stream().distinct().count(), "nothing twice");
    for (var producer : acknowledged.entrySet()) {
      List<String> fromProducer =
          stored.stream().filter(m -> m.startsWith(producer.getKey() + ":")).toList();
      List<String> acked = producer.getValue();
      assertTrue(
          fromProducer.size() >= acked.size(), "producer " + producer.getKey() + " lost messages");
      assertEquals(acked, fromProducer.subList(0, acked.size()), "acknowledged, in order, first");
      assertTrue(fromProducer.size() - acked.size() <= 20, "at most the one request in flight");
    }
  }
}
