package dev.logqueue.harness;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Kills the broker (SIGKILL) at random moments while producers and consumers work, restarts it on
 * the same data, and audits every acknowledgement after each restart.
 */
final class CrashHarness {

  private static final System.Logger LOG = System.getLogger(CrashHarness.class.getName());

  static final List<String> TOPICS = List.of("crash-a", "crash-b", "crash-c");

  record Cycle(
      int number, long loadMillis, Audit.Findings findings, ExplicitAudit.Findings explicit) {}

  private final Database database;
  private final int cycles;
  private final long seed;
  private final int producersPerTopic;
  private final int consumersPerTopic;

  CrashHarness(
      Database database, int cycles, long seed, int producersPerTopic, int consumersPerTopic) {
    this.database = database;
    this.cycles = cycles;
    this.seed = seed;
    this.producersPerTopic = producersPerTopic;
    this.consumersPerTopic = consumersPerTopic;
  }

  List<Cycle> run() {
    Random random = new Random(seed);
    Ledger ledger = new Ledger();
    List<Cycle> results = new ArrayList<>();
    Broker broker = Broker.on(database).start();
    try {
      Wire wire = new Wire(broker.uri());
      for (String topic : TOPICS) {
        for (int p = 0; p < producersPerTopic; p++) {
          ledger.producer(wire.registerProducer(topic), topic);
        }
        for (int c = 0; c < consumersPerTopic; c++) {
          ledger.consumer(wire.registerConsumer(topic), topic);
        }
        // at least once: a producer that retries with message ids, an explicit consumer
        ledger.producer(wire.registerProducer(topic), topic, true);
        ledger.explicitConsumer(registerExplicit(wire, topic), topic);
      }
      for (int cycle = 1; cycle <= cycles; cycle++) {
        long loadMillis = 1_000 + random.nextInt(3_000);
        try (Load load = new Load(broker.uri(), ledger, seed + cycle * 1_000L, null).start()) {
          sleep(loadMillis);
          broker.kill(); // SIGKILL, at a moment nobody chose
        }
        broker.start();
        ExplicitAudit.Findings explicit = ExplicitAudit.run(wire, ledger, TOPICS);
        Audit.Findings findings = Audit.run(wire, ledger, TOPICS);
        results.add(new Cycle(cycle, loadMillis, findings, explicit));
        LOG.log(
            System.Logger.Level.INFO,
            String.format(Locale.ROOT, "%s cycle %d: %s; %s", database, cycle, findings, explicit));
      }
    } finally {
      broker.stop();
    }
    return results;
  }

  static long registerExplicit(Wire wire, String topic) {
    var reply =
        wire.http()
            .post(
                "consumer/register",
                Http.json(
                    "topic",
                    topic,
                    "name",
                    topic + "-explicit",
                    "ack",
                    "explicit",
                    "lease_ms",
                    5000));
    if (!reply.isSuccess()) {
      throw new IllegalStateException("Could not register an explicit consumer: " + reply);
    }
    return reply.json().getJsonNumber("consumer_id").longValue();
  }

  static String table(String database, List<Cycle> cycles) {
    StringBuilder out = new StringBuilder();
    out.append("Crash harness on ")
        .append(database)
        .append(": kill -9 under load, restart, audit\n\n");
    out.append("| cycle | killed after | ")
        .append(Audit.Findings.HEADER)
        .append(" | taken, unanswered | stored, unacknowledged |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Cycle cycle : cycles) {
      Audit.Findings f = cycle.findings();
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %.1f s | %s | %d | %d |%n",
              cycle.number(),
              cycle.loadMillis() / 1000.0,
              f.cells(),
              f.takenUnanswered(),
              f.storedUnacknowledged()));
    }
    out.append('\n')
        .append("At least once on ")
        .append(database)
        .append(
            ": an explicit consumer per topic acks what it processed with its next consume; a"
                + " producer per topic retries with message ids until it is told success\n\n");
    out.append(
        "| cycle | acknowledged | processed | lost | redelivered | unsettled after drain | stored twice | refusals |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    for (Cycle cycle : cycles) {
      ExplicitAudit.Findings f = cycle.explicit();
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %,d | %,d | %d | %,d | %d | %d | %d |%n",
              cycle.number(),
              f.acknowledged(),
              f.processed(),
              f.lost(),
              f.redelivered(),
              f.unsettled(),
              f.storedTwice(),
              f.refusals()));
    }
    return out.toString();
  }

  static boolean clean(List<Cycle> cycles) {
    return cycles.stream().allMatch(c -> c.findings().isClean() && c.explicit().isClean());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
