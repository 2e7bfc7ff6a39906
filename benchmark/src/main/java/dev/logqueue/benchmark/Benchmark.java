package dev.logqueue.benchmark;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.Postgres;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * LogQueue's benchmark: for each database it measures the database's own ceiling (raw JDBC), then
 * starts the broker, warms it up, loads it with wrk, produces and consumes a million messages
 * watching the process's memory, and restarts it with and without a history. One table for all.
 *
 * <pre>
 * benchmark/run.sh [--databases h2,postgresql] [--warmup 180] [--duration 30] [--connections 128]
 *                  [--messages 1000000] [--out benchmark/results] [--smoke]
 * </pre>
 */
public final class Benchmark {

  private static final System.Logger LOG = System.getLogger(Benchmark.class.getName());

  /** Writers of the raw JDBC ceiling's second measure (the first has one). */
  static final int RAW_WRITERS = 4;

  static final String MESSAGE = "x".repeat(100);

  record Options(
      List<String> databases,
      Duration warmup,
      Duration duration,
      int connections,
      int messages,
      Path out,
      boolean smoke) {

    static Options parse(String... args) {
      List<String> databases = List.of("h2", "postgresql");
      Duration warmup = Duration.ofSeconds(180);
      Duration duration = Duration.ofSeconds(30);
      int connections = 128;
      int messages = 1_000_000;
      Path out = Layout.root().resolve("benchmark/results");
      boolean smoke = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--databases" -> databases = List.of(args[++i].split(","));
          case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[++i]));
          case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(args[++i]));
          case "--connections" -> connections = Integer.parseInt(args[++i]);
          case "--messages" -> messages = Integer.parseInt(args[++i]);
          case "--out" -> out = Path.of(args[++i]);
          case "--smoke" -> smoke = true;
          default -> throw new IllegalArgumentException("Unknown option " + args[i]);
        }
      }
      if (smoke) {
        warmup = Duration.ofSeconds(4);
        duration = Duration.ofSeconds(2);
        messages = 20_000;
        connections = 8;
      }
      return new Options(databases, warmup, duration, connections, messages, out, smoke);
    }
  }

  /**
   * GET /status, an auto consumer's consume and an explicit consumer's (leases, nothing committed)
   * at one number of connections, measured one after the other.
   */
  record ConsumeModes(int connections, Wrk.Result status, Wrk.Result auto, Wrk.Result explicit) {}

  /** The numbers of connections the consume modes are compared at. */
  static final List<Integer> MODE_CONNECTIONS = List.of(32, 128);

  /** The numbers of connections single produces' latency is measured at. */
  static final List<Integer> LATENCY_CONNECTIONS = List.of(1, 8, 32);

  /** Application threads of the SDK producer's measure. */
  static final int SDK_THREADS = 32;

  /** The database's commit durations over the broker's recent commits, ms (its timer's). */
  record CommitTimes(double p50, double p99, double p999, double max) {
    static CommitTimes of(Map<String, Double> metrics) {
      String name = "logqueue_commit_duration";
      return new CommitTimes(
          metrics.getOrDefault(name + "{quantile=0.5}", Double.NaN) / 1e6,
          metrics.getOrDefault(name + "{quantile=0.99}", Double.NaN) / 1e6,
          metrics.getOrDefault(name + "{quantile=0.999}", Double.NaN) / 1e6,
          metrics.getOrDefault(name + "_max", Double.NaN) / 1e6);
    }
  }

  /** What one database's run measured. */
  record Outcome(
      String database,
      Wrk.Result status,
      Wrk.Result produce,
      Wrk.Result consume,
      Wrk.Result history,
      Wrk.Result batch,
      int batchSize,
      RawJdbc.Result raw,
      List<ConsumeModes> modes,
      long rssStartKb,
      long rssEndKb,
      int messages,
      double readyEmptyMs,
      double readyFullMs,
      long storedMessages,
      double requestsPerCommit,
      SdkLoad.Result sdk,
      List<Wrk.Result> produceLatency,
      RabbitPeer.Outcome peer,
      CommitTimes commitTimes) {

    /** The modes measured at 32 connections. */
    ConsumeModes at32() {
      return modes.get(MODE_CONNECTIONS.indexOf(32));
    }

    double sdkPeerRatio() {
      return sdk.messagesPerSecond() / peer.quorumRate();
    }

    double producePeerRatio() {
      return produce.requestsPerSecond() / peer.quorumRate();
    }

    double explicitRatio() {
      return at32().explicit().requestsPerSecond() / at32().status().requestsPerSecond();
    }

    double autoRatio() {
      return at32().auto().requestsPerSecond() / at32().status().requestsPerSecond();
    }

    double historyRatio() {
      return history.requestsPerSecond() / consume.requestsPerSecond();
    }

    /** p99 of single produces at 8 connections, ms. */
    double produceP99At8() {
      return produceLatency.get(LATENCY_CONNECTIONS.indexOf(8)).p99();
    }

    double produceRatio() {
      return produce.requestsPerSecond() / status.requestsPerSecond();
    }

    double consumeRatio() {
      return consume.requestsPerSecond() / status.requestsPerSecond();
    }

    double batchMessagesPerSecond() {
      return batch.requestsPerSecond() * batchSize;
    }

    double batchRatio() {
      return batchMessagesPerSecond() / raw.best();
    }

    double rssRatio() {
      return (double) rssEndKb / rssStartKb;
    }

    double restartRatio() {
      return readyFullMs / readyEmptyMs;
    }

    long failures() {
      return status.failures()
          + produce.failures()
          + consume.failures()
          + history.failures()
          + batch.failures()
          + sdk.failures()
          + produceLatency.stream().mapToLong(Wrk.Result::failures).sum()
          + modes.stream()
              .mapToLong(m -> m.status().failures() + m.auto().failures() + m.explicit().failures())
              .sum();
    }
  }

  private final Options options;
  private final Path scratch;
  private final Wrk wrk;

  Benchmark(Options options) {
    this.options = options;
    this.scratch = Layout.scratch("benchmark");
    this.wrk = new Wrk(2, options.connections(), scratch.resolve("lua"));
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("cluster")) {
      ClusterSpeed.main(args);
      return;
    }
    Options options = Options.parse(args);
    List<Outcome> outcomes = new Benchmark(options).run();
    System.out.println(Report.table(outcomes, options));
    Report.write(outcomes, options);
    System.out.println("Written: " + options.out().resolve("benchmark.md") + " and benchmark.png");
  }

  List<Outcome> run() throws Exception {
    Wrk.ensureInstalled();
    log("== the peer, RabbitMQ PerfTest (LogQueue not running)");
    RabbitPeer.Outcome peer = RabbitPeer.measure(options.duration());
    List<Outcome> outcomes = new ArrayList<>();
    for (String database : options.databases()) {
      outcomes.add(measure(database, peer));
    }
    return outcomes;
  }

  private Outcome measure(String kind, RabbitPeer.Outcome peer) throws Exception {
    log("== " + kind);
    Postgres postgres = null;
    try {
      Database database;
      RawJdbc raw;
      if (kind.equals("postgresql")) {
        postgres = Postgres.start(0);
        database = Database.postgresql(postgres);
        postgres.createDatabase("raw");
        raw =
            new RawJdbc(
                postgres.jdbcUrl("raw") + "?reWriteBatchedInserts=true",
                Postgres.USER,
                Postgres.PASSWORD);
      } else if (kind.equals("h2")) {
        database = Database.h2();
        raw = new RawJdbc("jdbc:h2:file:" + scratch.resolve("raw-h2") + ";WRITE_DELAY=0", "sa", "");
      } else {
        throw new IllegalArgumentException("Unknown database " + kind);
      }
      log("raw JDBC, batches of " + RawJdbc.BATCH + " rows per commit");
      RawJdbc.Result ceiling = raw.measure(options.duration(), RAW_WRITERS);
      log(
          String.format(
              Locale.ROOT,
              "  %.0f rows/s on 1 thread, %.0f on %d",
              ceiling.oneThread(),
              ceiling.manyThreads(),
              RAW_WRITERS));
      return measureBroker(kind, database, postgres, ceiling, peer);
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /** {@code postgres}: the server {@code database} is on, null for H2. */
  private Outcome measureBroker(
      String kind,
      Database database,
      Postgres postgres,
      RawJdbc.Result ceiling,
      RabbitPeer.Outcome peer)
      throws Exception {
    Path data = scratch.resolve("broker-" + kind);
    Broker broker = Broker.on(database).dataDirectory(data).javaOptions(BrokerJava.OPTIONS).start();
    try {
      URI base = broker.uri();
      Wire wire = new Wire(base);
      Http http = wire.http();
      int batchSize = 100;
      int backlog = options.smoke() ? 2_000 : 10_000;
      int consumers = 64;

      long producer = wire.registerProducer("bench");
      long batchProducer = wire.registerProducer("bench-batch");
      Path produce = wrk.script("produce", List.of(produceBody("bench", producer)));
      Path batch = wrk.script("batch", List.of(batchBody("bench-batch", batchProducer, batchSize)));

      log("warming up for " + options.warmup().toSeconds() + " s");
      Duration quarter = options.warmup().dividedBy(5);
      SdkLoad.warm(base, "bench-sdk", SDK_THREADS, quarter);
      wrk.run(base.resolve("status"), null, quarter);
      wrk.run(base.resolve("producer/produce"), produce, quarter);
      wrk.run(
          base.resolve("consumer/consume"),
          consumeScript(wire, "warm", backlog, consumers),
          quarter);
      wrk.run(base.resolve("producer/produce"), batch, quarter);

      log("measuring, " + options.duration().toSeconds() + " s each");
      Wrk.Result statusResult = wrk.run(base.resolve("status"), null, options.duration());
      log("  GET /status " + statusResult);
      Wrk.Result produceResult =
          wrk.run(base.resolve("producer/produce"), produce, options.duration());
      log("  produce " + produceResult);
      Path consume = consumeScript(wire, "bench-consume", backlog, consumers);
      Wrk.Result consumeResult =
          wrk.run(base.resolve("consumer/consume"), consume, options.duration());
      log("  consume " + consumeResult);
      Path history = consumeScript(wire, "bench", 0, consumers);
      Wrk.Result historyResult =
          wrk.run(base.resolve("consumer/consume"), history, options.duration());
      log("  consume behind the window " + historyResult);
      Wrk.Result batchResult = wrk.run(base.resolve("producer/produce"), batch, options.duration());
      log("  batch produce " + batchResult);
      SdkLoad.Result sdk = SdkLoad.run(base, "bench-sdk", SDK_THREADS, options.duration());
      log("  SDK producer, " + SDK_THREADS + " threads: " + sdk);
      List<Wrk.Result> produceLatency = new ArrayList<>();
      for (int connections : LATENCY_CONNECTIONS) {
        Wrk at = new Wrk(Math.min(2, connections), connections, scratch.resolve("lua"));
        Wrk.Result result = at.run(base.resolve("producer/produce"), produce, options.duration());
        produceLatency.add(result);
        log("  produce at " + connections + " connections " + result);
      }
      List<ConsumeModes> modes = new ArrayList<>();
      for (int connections : MODE_CONNECTIONS) {
        Wrk at =
            new Wrk(
                2,
                options.smoke() ? Math.min(connections, 8) : connections,
                scratch.resolve("lua"));
        Wrk.Result status = at.run(base.resolve("status"), null, options.duration());
        Wrk.Result auto =
            at.run(
                base.resolve("consumer/consume"),
                consumeScript(wire, "modes-auto-" + connections, backlog, consumers),
                options.duration());
        Wrk.Result explicit =
            at.run(
                base.resolve("consumer/consume"),
                explicitConsumeScript(wire, "modes-explicit-" + connections, backlog, consumers),
                options.duration());
        modes.add(new ConsumeModes(connections, status, auto, explicit));
        log("  " + connections + " connections: status " + status);
        log("  " + connections + " connections: auto consume " + auto);
        log("  " + connections + " connections: explicit consume " + explicit);
      }
      Map<String, Double> metrics = wire.metrics();
      CommitTimes commitTimes = CommitTimes.of(metrics);
      log("  commit durations (ms) " + commitTimes);
      double perCommit =
          metrics.getOrDefault("logqueue_committed_requests_total", 0.0)
              / Math.max(1, metrics.getOrDefault("logqueue_commits_total", 1.0));

      log("producing and consuming " + options.messages() + " messages, watching memory");
      long rssStart = rssKb(broker.pid());
      produceMany(http, wire.registerProducer("bench-memory"), "bench-memory", options.messages());
      consumeAll(wire, wire.registerConsumer("bench-memory"), "bench-memory", options.messages());
      long rssEnd = rssKb(broker.pid());
      log("  RSS " + rssStart / 1024 + " MB before, " + rssEnd / 1024 + " MB after");

      long stored = storedMessages(wire);
      log("restarting with " + stored + " messages stored");
      int restarts = options.smoke() ? 1 : 2;
      double readyFull = Double.MAX_VALUE;
      for (int i = 0; i < restarts; i++) {
        broker.stop();
        readyFull = Math.min(readyFull, timeToReady(broker::start));
      }
      broker.stop();
      double readyEmpty = Double.MAX_VALUE;
      for (int i = 0; i < restarts; i++) {
        Database empty = postgres == null ? Database.h2() : Database.postgresql(postgres);
        long started = System.nanoTime();
        Broker fresh = Broker.on(empty).javaOptions(BrokerJava.OPTIONS).start();
        readyEmpty = Math.min(readyEmpty, (System.nanoTime() - started) / 1e6);
        fresh.stop();
      }
      log(
          String.format(
              Locale.ROOT,
              "  ready in %.1f s with history, %.1f s empty",
              readyFull / 1000,
              readyEmpty / 1000));
      return new Outcome(
          kind,
          statusResult,
          produceResult,
          consumeResult,
          historyResult,
          batchResult,
          batchSize,
          ceiling,
          modes,
          rssStart,
          rssEnd,
          options.messages(),
          readyEmpty,
          readyFull,
          stored,
          perCommit,
          sdk,
          produceLatency,
          peer,
          commitTimes);
    } finally {
      broker.stop();
    }
  }

  private static double timeToReady(Runnable start) {
    long started = System.nanoTime();
    start.run();
    return (System.nanoTime() - started) / 1e6;
  }

  /** A topic with {@code backlog} messages and consumers to read it; the script rotates them. */
  private Path consumeScript(Wire wire, String topic, int backlog, int consumers) {
    Http http = wire.http();
    long producer = wire.registerProducer(topic);
    produceMany(http, producer, topic, backlog);
    List<String> bodies = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      long consumer = wire.registerConsumer(topic);
      bodies.add("{\"topic\":\"" + topic + "\",\"consumer_id\":" + consumer + "}");
    }
    return wrk.script("consume-" + topic, bodies);
  }

  /**
   * Consumes of explicit consumers, each leasing one message per request (the wrk script's bodies
   * are fixed, so nothing is acknowledged: each consumer leases the backlog, in memory).
   */
  private Path explicitConsumeScript(Wire wire, String topic, int backlog, int consumers) {
    Http http = wire.http();
    long producer = wire.registerProducer(topic);
    produceMany(http, producer, topic, backlog);
    List<String> bodies = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      var reply =
          http.post(
              "consumer/register",
              Json.createObjectBuilder()
                  .add("topic", topic)
                  .add("ack", "explicit")
                  .add("lease_ms", 3_600_000)
                  .build());
      long consumer = reply.json().getJsonNumber("consumer_id").longValue();
      bodies.add("{\"topic\":\"" + topic + "\",\"consumer_id\":" + consumer + "}");
    }
    return wrk.script("consume-" + topic, bodies);
  }

  static String produceBody(String topic, long producer) {
    return "{\"topic\":\""
        + topic
        + "\",\"producer_id\":"
        + producer
        + ",\"message\":\""
        + MESSAGE
        + "\"}";
  }

  static String batchBody(String topic, long producer, int size) {
    return Wire.batchBody(topic, producer, Collections.nCopies(size, MESSAGE));
  }

  /** Produces {@code count} messages in batches of 100, from four threads. */
  static void produceMany(Http http, long producer, String topic, int count) {
    if (count <= 0) {
      return;
    }
    String body = batchBody(topic, producer, 100);
    int requests = (count + 99) / 100;
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int share = requests / 4 + (t < requests % 4 ? 1 : 0);
        sent.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < share; i++) {
                    Http.Reply reply = http.post("producer/produce", body);
                    if (!reply.isSuccess()) {
                      throw new IllegalStateException("produce failed: " + reply);
                    }
                  }
                }));
      }
      for (Future<?> each : sent) {
        each.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      threads.shutdownNow();
    }
  }

  /** Consumes {@code count} messages with batch consumes of up to 1000. */
  static void consumeAll(Wire wire, long consumer, String topic, int count) {
    int taken = 0;
    while (taken < count) {
      List<String> messages = wire.consume(topic, consumer, 1000);
      if (messages.isEmpty()) {
        throw new IllegalStateException("Only " + taken + " of " + count + " messages came back");
      }
      taken += messages.size();
    }
  }

  private static long storedMessages(Wire wire) {
    // every topic's size for a new consumer is its length
    long total = 0;
    for (String topic : wire.topics()) {
      total += wire.size(topic, wire.registerConsumer(topic));
    }
    return total;
  }

  static long rssKb(long pid) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the broker's memory", e);
    }
    throw new IllegalStateException("No VmRSS for " + pid);
  }

  /** Progress, as it goes; the table is the program's output. */
  static void log(String line) {
    LOG.log(System.Logger.Level.INFO, line);
  }
}
