package dev.logqueue.harness;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Postgres;
import dev.logqueue.testkit.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops the broker's PostgreSQL under load, starts it again, and watches the broker through it:
 * fast 503s with Retry-After while the database is away (no hang, no 500, no pile-up of threads),
 * readiness DOWN and liveness UP, then recovery without a restart, and nothing acknowledged lost.
 */
final class OutageDrill {

  private static final System.Logger LOG = System.getLogger(OutageDrill.class.getName());

  static final List<String> TOPICS = List.of("outage-a", "outage-b");

  /** What the drill saw. */
  record Result(
      Duration outage,
      int answeredDuringOutage,
      int unavailableWithRetryAfter,
      int otherFailures,
      List<String> otherFailureExamples,
      long slowestMillis,
      boolean readinessWentDown,
      boolean livenessStayedUp,
      int threadsBefore,
      int threadsMost,
      long recoveredMillis,
      int connectionFailures,
      Audit.Findings findings) {

    /** What must hold for the drill to pass. */
    List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (unavailableWithRetryAfter == 0) {
        problems.add("no 503 with Retry-After was seen during the outage");
      }
      if (otherFailures > 0) {
        problems.add(
            otherFailures
                + " answers were neither success nor 503+Retry-After: "
                + otherFailureExamples);
      }
      if (slowestMillis > 15_000) {
        problems.add("an answer took " + slowestMillis + " ms during the outage");
      }
      if (!readinessWentDown) {
        problems.add("readiness never went DOWN");
      }
      if (!livenessStayedUp) {
        problems.add("liveness went DOWN");
      }
      if (threadsMost > threadsBefore + 64) {
        problems.add("threads piled up: " + threadsBefore + " before, " + threadsMost + " at most");
      }
      if (connectionFailures > 0) {
        problems.add(connectionFailures + " requests found no broker to answer them");
      }
      if (recoveredMillis < 0) {
        problems.add("the broker did not recover by itself");
      }
      if (!findings.isClean()) {
        problems.add("the audit found " + findings);
      }
      return problems;
    }
  }

  private final Duration outage;
  private final long seed;

  OutageDrill(Duration outage, long seed) {
    this.outage = outage;
    this.seed = seed;
  }

  Result run() throws InterruptedException {
    try (Postgres postgres = Postgres.start(0)) {
      Broker broker = Broker.on(Database.postgresql(postgres)).start();
      try {
        return drill(postgres, broker);
      } finally {
        broker.stop();
      }
    }
  }

  private Result drill(Postgres postgres, Broker broker) throws InterruptedException {
    Wire wire = new Wire(broker.uri());
    Http server = wire.http();
    Ledger ledger = new Ledger();
    for (String topic : TOPICS) {
      for (int i = 0; i < 3; i++) {
        ledger.producer(wire.registerProducer(topic), topic);
        ledger.consumer(wire.registerConsumer(topic), topic);
      }
    }
    AtomicBoolean down = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger unavailable = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    List<String> examples = Collections.synchronizedList(new ArrayList<>());
    AtomicLong slowest = new AtomicLong();
    Load load =
        new Load(
            broker.uri(),
            ledger,
            seed,
            (reply, millis) -> {
              if (!down.get()) {
                return;
              }
              answered.incrementAndGet();
              slowest.accumulateAndGet(millis, Math::max);
              boolean retryLater =
                  reply.status() == 503
                      && "unavailable".equals(reply.error())
                      && reply.headers().firstValue("Retry-After").isPresent();
              if (retryLater) {
                unavailable.incrementAndGet();
              } else if (reply.status() >= 500) {
                other.incrementAndGet();
                if (examples.size() < 5) {
                  examples.add(reply.toString());
                }
              }
            });
    load.start();
    Thread.sleep(3_000);
    int threadsBefore = threads(wire);
    AtomicBoolean readinessDown = new AtomicBoolean();
    AtomicBoolean livenessUp = new AtomicBoolean(true);
    AtomicInteger threadsMost = new AtomicInteger(threadsBefore);
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread monitor =
        new Thread(
            () -> {
              while (watching.get()) {
                try {
                  if (server.get("health/ready").status() == 503 && down.get()) {
                    readinessDown.set(true);
                  }
                  if (server.get("health/live").status() != 200) {
                    livenessUp.set(false);
                  }
                  threadsMost.accumulateAndGet(threads(wire), Math::max);
                } catch (RuntimeException e) {
                  livenessUp.set(false);
                }
                sleep(500);
              }
            });
    monitor.start();

    LOG.log(System.Logger.Level.INFO, "stopping PostgreSQL for " + outage.toSeconds() + " s");
    down.set(true);
    postgres.stop();
    Thread.sleep(outage.toMillis());
    postgres.restart();
    LOG.log(System.Logger.Level.INFO, "PostgreSQL is back");
    long back = System.nanoTime();
    long recovered = -1;
    while (System.nanoTime() - back < Duration.ofMinutes(2).toNanos()) {
      if (server.get("health/ready").status() == 200) {
        recovered = (System.nanoTime() - back) / 1_000_000;
        break;
      }
      Thread.sleep(200);
    }
    down.set(false);
    Thread.sleep(3_000); // the load goes on after the recovery
    load.close();
    watching.set(false);
    monitor.join();
    Audit.Findings findings = Audit.run(wire, ledger, TOPICS);
    return new Result(
        outage,
        answered.get(),
        unavailable.get(),
        other.get(),
        List.copyOf(examples),
        slowest.get(),
        readinessDown.get(),
        livenessUp.get(),
        threadsBefore,
        threadsMost.get(),
        recovered,
        load.connectionFailures.get(),
        findings);
  }

  private static int threads(Wire wire) {
    return wire.metrics().getOrDefault("thread_count", 0.0).intValue();
  }

  static String table(Result r) {
    return String.format(
        Locale.ROOT,
        "Database outage drill (PostgreSQL stopped under load)%n%n"
            + "| outage | answers while down | 503 + Retry-After | other failures | slowest answer | readiness DOWN | liveness UP | threads before / most | recovered after | acknowledged | lost |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|%n"
            + "| %d s | %,d | %,d | %d | %d ms | %s | %s | %d / %d | %s | %,d | %d |%n",
        r.outage().toSeconds(),
        r.answeredDuringOutage(),
        r.unavailableWithRetryAfter(),
        r.otherFailures(),
        r.slowestMillis(),
        r.readinessWentDown() ? "yes" : "no",
        r.livenessStayedUp() ? "yes" : "no",
        r.threadsBefore(),
        r.threadsMost(),
        r.recoveredMillis() < 0 ? "never" : r.recoveredMillis() + " ms",
        r.findings().acknowledged(),
        r.findings().lost());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
