package dev.logqueue.harness;

import dev.logqueue.testkit.Wire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the broker against the ledger: every acknowledged message is in its topic's log once and
 * in its producer's order; nothing is there that no producer sent; every consumer was given a part
 * of the log in order, never behind its offset, and skipped nothing but what may have been taken in
 * flight; no id was issued twice.
 */
final class Audit {

  /** What one audit found; everything but the last two must be zero. */
  record Findings(
      int acknowledged,
      int consumed,
      int lost,
      int duplicated,
      int reordered,
      int phantoms,
      int gaps,
      int regressions,
      int reusedIds,
      int storedUnacknowledged,
      int takenUnanswered) {

    /**
     * Its table cells, from acknowledged to reused ids: {@link #HEADER}'s columns, in a Markdown
     * row.
     */
    String cells() {
      return String.format(
          Locale.ROOT,
          "%,d | %,d | %d | %d | %d | %d | %d | %d | %d",
          acknowledged,
          consumed,
          lost,
          duplicated,
          reordered,
          phantoms,
          gaps,
          regressions,
          reusedIds);
    }

    /** The names of {@link #cells()}'s columns. */
    static final String HEADER =
        "acknowledged | consumed | lost | duplicated | reordered | phantom | gaps | offset back |"
            + " reused ids";

    boolean isClean() {
      return lost == 0
          && duplicated == 0
          && reordered == 0
          && phantoms == 0
          && gaps == 0
          && regressions == 0
          && reusedIds == 0;
    }
  }

  private Audit() {}

  /** Reads every topic whole with new consumers and checks the ledger against it. */
  static Findings run(Wire wire, Ledger ledger, List<String> topics) {
    Map<String, List<String>> logs = new LinkedHashMap<>();
    int reusedIds = 0;
    // ids are issued rising: a new one must be above every one issued before, restarts or not
    for (String topic : topics) {
      long reader = wire.registerConsumer(topic);
      if (ledger.consumerIds.stream().anyMatch(id -> id >= reader)) {
        reusedIds++;
      }
      ledger.consumerIds.add(reader);
      logs.put(topic, readAll(wire, topic, reader));
    }
    long probe = wire.registerProducer(topics.get(0));
    if (ledger.producerIds.stream().anyMatch(id -> id >= probe)) {
      reusedIds++;
    }
    ledger.producerIds.add(probe);

    int lost = 0;
    int duplicated = 0;
    int reordered = 0;
    int phantoms = 0;
    int storedUnacknowledged = 0;
    Map<String, Map<String, Integer>> positions = new HashMap<>();
    for (var log : logs.entrySet()) {
      Map<String, Integer> position = new HashMap<>();
      for (int i = 0; i < log.getValue().size(); i++) {
        if (position.putIfAbsent(log.getValue().get(i), i) != null) {
          duplicated++;
        }
      }
      positions.put(log.getKey(), position);
    }
    for (Ledger.Producer producer : ledger.producers.values()) {
      List<String> log = logs.get(producer.topic);
      Map<String, Integer> position = positions.get(producer.topic);
      int last = -1;
      List<String> acknowledged = List.copyOf(producer.acknowledged);
      Set<String> acked = new HashSet<>(acknowledged);
      for (String message : acknowledged) {
        Integer at = position.get(message);
        if (at == null) {
          lost++;
        } else {
          if (at < last) {
            reordered++;
          }
          last = at;
        }
      }
      for (String message : log) {
        if (producer.owns(message) && !acked.contains(message)) {
          if (producer.unsure.contains(message)) {
            storedUnacknowledged++;
          } else {
            phantoms++;
          }
        }
      }
    }
    for (List<String> log : logs.values()) {
      for (String message : log) {
        if (ledger.producers.values().stream().noneMatch(p -> p.owns(message))) {
          phantoms++;
        }
      }
    }

    int gaps = 0;
    int regressions = 0;
    int takenUnanswered = 0;
    for (Ledger.Consumer consumer : ledger.consumers.values()) {
      List<String> log = logs.get(consumer.topic);
      Map<String, Integer> position = positions.get(consumer.topic);
      long offset = log.size() - wire.size(consumer.topic, consumer.id);
      List<String> received = List.copyOf(consumer.received);
      int last = -1;
      Set<Integer> given = new HashSet<>();
      for (String message : received) {
        Integer at = position.get(message);
        if (at == null) {
          phantoms++;
          continue;
        }
        if (at <= last) {
          reordered++; // given twice, or out of order
        }
        last = Math.max(last, at);
        given.add(at);
      }
      if (last >= offset) {
        regressions++; // the offset is behind a message it was given
      }
      int skipped = 0;
      for (int i = 0; i < offset; i++) {
        if (!given.contains(i)) {
          skipped++;
        }
      }
      int allowance = consumer.takenUnanswered.get();
      takenUnanswered += Math.min(skipped, allowance);
      gaps += Math.max(0, skipped - allowance);
    }
    return new Findings(
        ledger.acknowledged(),
        ledger.consumed(),
        lost,
        duplicated,
        reordered,
        phantoms,
        gaps,
        regressions,
        reusedIds,
        storedUnacknowledged,
        takenUnanswered);
  }

  static List<String> readAll(Wire wire, String topic, long consumer) {
    List<String> all = new ArrayList<>();
    for (List<String> page = wire.consume(topic, consumer, 1000);
        !page.isEmpty();
        page = wire.consume(topic, consumer, 1000)) {
      all.addAll(page);
    }
    return all;
  }
}
