package dev.logqueue.harness;

import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the at-least-once side against the ledger after a restart: producers that retry with
 * message ids finish what was in flight (the same request again), then every explicit consumer
 * drains what is not acknowledged; every acknowledged produce of its topic must have been given to
 * it and acknowledged by it (more than once is allowed, and counted), and no message of a producer
 * with ids may be stored twice.
 */
final class ExplicitAudit {

  /** What one audit found; {@code redelivered} may be anything, the rest must be zero. */
  record Findings(
      int acknowledged,
      int processed,
      int lost,
      int redelivered,
      int unsettled,
      int storedTwice,
      int refusals) {

    boolean isClean() {
      return lost == 0 && unsettled == 0 && storedTwice == 0 && refusals == 0;
    }
  }

  private ExplicitAudit() {}

  static Findings run(Wire wire, Ledger ledger, List<String> topics) {
    for (Ledger.Producer producer : ledger.producers.values()) {
      Ledger.Producer.Pending pending = producer.pending;
      if (producer.retriesWithIds && pending != null) {
        for (int attempt = 0; ; attempt++) {
          Reply reply = wire.http().post("producer/produce", pending.body());
          if (reply.isSuccess()) {
            producer.acknowledged.addAll(pending.messages());
            producer.pending = null;
            break;
          }
          if (attempt > 100) {
            throw new IllegalStateException("A retried produce is still refused: " + reply);
          }
          sleep(100);
        }
      }
    }
    int unsettled = 0;
    for (Ledger.ExplicitConsumer consumer : ledger.explicitConsumers.values()) {
      drain(wire, consumer);
      unsettled += (int) wire.size(consumer.topic, consumer.id);
    }

    int acknowledged = 0;
    int processed = 0;
    int lost = 0;
    int redelivered = 0;
    int refusals = 0;
    for (Ledger.ExplicitConsumer consumer : ledger.explicitConsumers.values()) {
      for (Ledger.Producer producer : ledger.producers.values()) {
        if (!producer.topic.equals(consumer.topic)) {
          continue;
        }
        for (String message : List.copyOf(producer.acknowledged)) {
          acknowledged++;
          if (!consumer.processed.containsKey(message)) {
            lost++;
          }
        }
      }
      processed += consumer.processed.size();
      redelivered += consumer.deliveries() - consumer.processed.size();
      refusals += consumer.refusals.get();
    }

    int storedTwice = 0;
    for (String topic : topics) {
      long reader = wire.registerConsumer(topic);
      ledger.consumerIds.add(reader);
      Map<String, Integer> seen = new HashMap<>();
      for (String message : Audit.readAll(wire, topic, reader)) {
        if (seen.merge(message, 1, Integer::sum) > 1
            && ledger.producers.values().stream()
                .anyMatch(p -> p.retriesWithIds && p.owns(message))) {
          storedTwice++;
        }
      }
    }
    return new Findings(
        acknowledged, processed, lost, redelivered, unsettled, storedTwice, refusals);
  }

  /**
   * Takes and acknowledges until nothing is left to give, and nothing is leased either: messages
   * leased by a consume whose answer was lost (a member cut off, a forward abandoned) come back
   * when their lease (5 s) ends.
   */
  private static void drain(Wire wire, Ledger.ExplicitConsumer consumer) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      takeAll(wire, consumer);
      if (wire.size(consumer.topic, consumer.id) == 0 || System.nanoTime() > deadline) {
        return;
      }
      sleep(500);
    }
  }

  private static void takeAll(Wire wire, Ledger.ExplicitConsumer consumer) {
    while (true) {
      List<Long> acks = List.copyOf(consumer.unacked);
      Reply reply = wire.http().post("consumer/consume", Load.leaseBody(consumer, 1000, acks, 0));
      if (reply.status() != 200) {
        consumer.refusals.incrementAndGet();
        throw new IllegalStateException("Draining consumer " + consumer.id + ": " + reply);
      }
      consumer.unacked.removeAll(acks);
      List<JsonObject> records = reply.json().getJsonArray("records").getValuesAs(JsonObject.class);
      if (records.isEmpty()) {
        return;
      }
      for (JsonObject record : records) {
        consumer.process(record.getString("message"));
        consumer.unacked.add(record.getJsonNumber("offset").longValue());
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
