package dev.logqueue.harness;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.NetworkNamespace;
import dev.logqueue.testkit.Ports;
import dev.logqueue.testkit.Wire;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster of brokers on one PostgreSQL database under load spread over all members; each cycle
 * kills (SIGKILL) the member that serves one of the topics, measures how long its topics stay
 * unavailable, starts it again (it rejoins, and takes its share of the topics back, under load),
 * and audits every acknowledgement through the members.
 */
final class ClusterDrill {

  private static final System.Logger LOG = System.getLogger(ClusterDrill.class.getName());

  static final List<String> TOPICS =
      List.of("cluster-a", "cluster-b", "cluster-c", "cluster-d", "cluster-e", "cluster-f");

  /** What each cycle does to the member serving a topic. */
  enum Fault {
    /** SIGKILL, started again after 2 s. */
    KILL,
    /**
     * Its network link down (it keeps running, cut off from the others, the database and the
     * clients), up again after 2 s: the members run in network namespaces of their own.
     */
    CUT
  }

  /** Where a topic is served: the member's URL and the epoch of its slot there. */
  record Owner(String url, long epoch) {}

  record Cycle(
      int number,
      int killed,
      int topicsMoved,
      long outageMillis,
      long rejoinMillis,
      int fenced,
      long epochsBack,
      Audit.Findings findings,
      ExplicitAudit.Findings explicit,
      int partitionsMoved,
      KeyedLoad.Findings keyed) {

    /**
     * Every topic of the killed member came back, under a higher epoch; no message was written
     * under a lower epoch than the one before it (no former owner wrote after a new one); nothing
     * lost; the partitioned topic's keys each in their partition, in order, stored once.
     */
    boolean isClean() {
      return findings.isClean()
          && explicit.isClean()
          && keyed.isClean()
          && keyed.acknowledged() > 0
          && fenced == topicsMoved
          && epochsBack == 0
          && outageMillis >= 0
          && rejoinMillis >= 0;
    }
  }

  private static final int SUBNET = 150;

  private final int members;
  private final int cycles;
  private final long seed;
  private final Fault fault;
  private final Path folder;
  private Database database;
  private final List<NetworkNamespace> namespaces = new ArrayList<>();
  private final Map<String, Ledger.Producer> probes = new HashMap<>();

  /**
   * @param folder where a cut drill keeps its PostgreSQL server (the kill drill uses the embedded
   *     one)
   */
  ClusterDrill(int members, int cycles, long seed, Fault fault, Path folder) {
    this.members = members;
    this.cycles = cycles;
    this.seed = seed;
    this.fault = fault;
    this.folder = folder;
  }

  /**
   * The cycles, and what the last member left alone did wrong (null if it refused to serve, as a
   * minority must).
   */
  record Result(List<Cycle> cycles, String minorityProblem) {

    boolean isClean() {
      return minorityProblem == null && cycles.stream().allMatch(Cycle::isClean);
    }
  }

  Result run() throws Exception {
    if (fault == Fault.KILL) {
      database = Database.postgresql();
      return run(null);
    }
    // each member a host of its own on one bridge, PostgreSQL on this machine's address there
    try (AutoCloseable bridge = NetworkNamespace.bridge(SUBNET)) {
      PgServer server =
          new PgServer("cluster", folder.resolve("postgresql"), Ports.free())
              .alsoOn("10.199." + SUBNET + ".1");
      server.createPrimary();
      try {
        server.sql("postgres", "CREATE DATABASE logqueue");
        database =
            new Database(
                "postgresql",
                Map.of(
                    "LOGQUEUE_DB", "postgresql",
                    "LOGQUEUE_DB_HOST", "10.199." + SUBNET + ".1",
                    "LOGQUEUE_DB_PORT", Integer.toString(server.port()),
                    "LOGQUEUE_DB_NAME", "logqueue",
                    "LOGQUEUE_DB_USER", "postgres",
                    "LOGQUEUE_DB_PASSWORD", "postgres"));
        for (int i = 0; i < members; i++) {
          namespaces.add(NetworkNamespace.onBridge("member" + (i + 1), SUBNET, 11 + i));
        }
        return run(namespaces);
      } finally {
        namespaces.forEach(NetworkNamespace::close);
        server.stop();
      }
    }
  }

  private Result run(List<NetworkNamespace> hosts) {
    Random random = new Random(seed);
    List<String> gridAddresses = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      gridAddresses.add(
          hosts == null ? "127.0.0.1:" + Ports.free() : hosts.get(i).address() + ":5900");
    }
    String addresses = String.join(",", gridAddresses);
    List<Broker> brokers = new ArrayList<>();
    List<Cycle> results = new ArrayList<>();
    try {
      for (int i = 0; i < members; i++) {
        Broker.Builder member =
            Broker.on(database)
                .setting("LOGQUEUE_CLUSTER_MEMBERS", addresses)
                .setting(
                    "LOGQUEUE_CLUSTER_PORT",
                    gridAddresses.get(i).substring(gridAddresses.get(i).lastIndexOf(':') + 1));
        if (hosts != null) {
          member.inside(hosts.get(i)).port(8080);
        }
        brokers.add(member.launch());
      }
      brokers.forEach(Broker::awaitReady);
      List<URI> uris = brokers.stream().map(Broker::uri).toList();
      // ready is each member's own view: the slots still move until all have published
      if (awaitSettled(uris, System.nanoTime()) < 0) {
        throw new IllegalStateException("The members did not settle after their start");
      }
      Ledger ledger = new Ledger();
      Wire wire = new Wire(uris.get(0));
      for (String topic : TOPICS) {
        ledger.producer(wire.registerProducer(topic), topic);
        ledger.consumer(wire.registerConsumer(topic), topic);
        ledger.producer(wire.registerProducer(topic), topic, true);
        ledger.explicitConsumer(CrashHarness.registerExplicit(wire, topic), topic);
        probes.put(topic, ledger.probe(wire.registerProducer(topic), topic));
      }
      for (int cycle = 1; cycle <= cycles; cycle++) {
        Cycle result = cycle(cycle, random, brokers, uris, ledger);
        results.add(result);
        LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "cluster %s", result));
      }
      return new Result(results, minority(brokers, ledger));
    } finally {
      brokers.forEach(Broker::stop);
    }
  }

  /**
   * Kills all members but one: alone, it sees fewer than a majority and must serve nothing (503,
   * readiness DOWN), since the others could be alive on the other side of a split.
   */
  private static String minority(List<Broker> brokers, Ledger ledger) {
    for (int i = 1; i < brokers.size(); i++) {
      brokers.get(i).kill();
    }
    Http alone = new Http(brokers.get(0).uri());
    long deadline = System.nanoTime() + 30_000_000_000L;
    Http.Reply ready = alone.get("health/ready");
    while (ready.status() == 200 && System.nanoTime() < deadline) {
      sleep(200);
      ready = alone.get("health/ready");
    }
    if (ready.status() != 503 || !ready.text().contains("majority")) {
      return "alone, readiness says " + ready;
    }
    for (Ledger.Producer producer : ledger.producers.values()) {
      Http.Reply produce =
          alone.post(
              "producer/produce",
              Http.json(
                  "topic", producer.topic, "producer_id", producer.id, "message", producer.next()));
      if (produce.status() != 503 || !"unavailable".equals(produce.error())) {
        return "alone, a produce to " + producer.topic + " got " + produce;
      }
    }
    return null;
  }

  private Cycle cycle(
      int number, Random random, List<Broker> brokers, List<URI> uris, Ledger ledger) {
    long outage;
    long rejoin;
    int victim;
    Map<String, Owner> before;
    Map<String, Owner> during;
    List<String> moved;
    if (awaitSettled(uris, System.nanoTime()) < 0) {
      throw new IllegalStateException("The members did not settle before cycle " + number);
    }
    KeyedLoad.Findings keyed;
    int partitionsMoved;
    try (Load load = new Load(uris, ledger, seed + number * 1_000L, null).start();
        KeyedLoad partitioned = new KeyedLoad(uris, number * 1_000_000_000L)) {
      sleep(1_500 + random.nextInt(2_500));
      before = placement(uris.get(0));
      String url = before.get(TOPICS.get(random.nextInt(TOPICS.size()))).url();
      victim = indexOf(brokers, url);
      moved =
          before.entrySet().stream()
              .filter(e -> TOPICS.contains(e.getKey()) && e.getValue().url().equals(url))
              .map(Map.Entry::getKey)
              .toList();
      partitionsMoved =
          (int)
              before.entrySet().stream()
                  .filter(
                      e -> e.getKey().startsWith(KeyedLoad.TOPIC) && e.getValue().url().equals(url))
                  .count();
      long killed = System.nanoTime();
      if (fault == Fault.KILL) {
        brokers.get(victim).kill(); // SIGKILL, under load
      } else {
        namespaces.get(victim).cut(); // it runs on, alone
      }
      List<URI> others = new ArrayList<>(uris);
      others.remove(victim);
      outage = awaitServed(moved, others, killed);
      during = placement(others.get(0));
      sleep(2_000);
      long back = System.nanoTime();
      if (fault == Fault.KILL) {
        brokers.get(victim).start(); // rejoins under load, takes its share back
      } else {
        namespaces.get(victim).heal(); // the grids merge, it takes its share back
      }
      rejoin = awaitSettled(uris, back);
      sleep(1_000);
      keyed = partitioned.finish(Duration.ofSeconds(30));
    }
    int fenced = 0;
    for (String topic : moved) {
      if (during.get(topic).epoch() > before.get(topic).epoch()
          && !during.get(topic).url().equals(before.get(topic).url())) {
        fenced++;
      }
    }
    Wire wire = new Wire(uris.get(random.nextInt(uris.size())));
    ExplicitAudit.Findings explicit = ExplicitAudit.run(wire, ledger, TOPICS);
    Audit.Findings findings = Audit.run(wire, ledger, TOPICS);
    return new Cycle(
        number,
        victim + 1,
        moved.size(),
        outage,
        rejoin,
        fenced,
        epochsBack(),
        findings,
        explicit,
        partitionsMoved,
        keyed);
  }

  /**
   * Milliseconds from {@code since} (the restart, or the healing) until the members have settled:
   * each is ready, sees all members published, and holds the slots it should, and together they
   * hold every slot; -1 if not within two minutes.
   */
  private long awaitSettled(List<URI> uris, long since) {
    long deadline = since + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (settled(uris)) {
        return (System.nanoTime() - since) / 1_000_000;
      }
      sleep(100);
    }
    return -1;
  }

  private boolean settled(List<URI> uris) {
    int held = 0;
    int slots = -1;
    for (URI member : uris) {
      try {
        Http http = new Http(member);
        if (http.send("GET", "health/ready", null, null, Duration.ofSeconds(2)).status() != 200) {
          return false;
        }
        Http.Reply reply = http.send("GET", "cluster", null, null, Duration.ofSeconds(2));
        if (!reply.isSuccess()) {
          return false;
        }
        JsonObject view = reply.json().getJsonObject("cluster");
        List<JsonObject> seen = view.getJsonArray("members").getValuesAs(JsonObject.class);
        if (seen.size() != members || seen.stream().anyMatch(m -> m.isNull("url"))) {
          return false;
        }
        JsonObject self =
            seen.stream().filter(m -> m.getBoolean("local")).findFirst().orElseThrow();
        if (self.getInt("slots") != view.getInt("held")) {
          return false;
        }
        held += view.getInt("held");
        slots = view.getInt("slots");
      } catch (RuntimeException e) {
        return false;
      }
    }
    return held == slots;
  }

  /**
   * Messages stored under a lower epoch of their slot than the message before them in the topic.
   */
  private long epochsBack() {
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(null), database.user(), database.password());
        Statement sql = connection.createStatement();
        ResultSet back =
            sql.executeQuery(
                "SELECT count(*) FROM (SELECT writer_epoch, lag(writer_epoch) OVER (PARTITION BY"
                    + " topic_id ORDER BY log_offset) AS before FROM lq_message) m"
                    + " WHERE m.writer_epoch < m.before")) {
      back.next();
      return back.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the messages' epochs", e);
    }
  }

  /**
   * Each topic's owner and epoch, as a member tells them (GET /cluster); a partition above 0 as
   * {@code topic#partition}.
   */
  static Map<String, Owner> placement(URI member) {
    Http.Reply reply = new Http(member).get("cluster");
    if (!reply.isSuccess()) {
      throw new IllegalStateException("GET /cluster: " + reply);
    }
    Map<String, Owner> owners = new HashMap<>();
    for (JsonObject topic :
        reply
            .json()
            .getJsonObject("cluster")
            .getJsonArray("topics")
            .getValuesAs(JsonObject.class)) {
      int partition = topic.getInt("partition", 0);
      owners.put(
          topic.getString("name") + (partition == 0 ? "" : "#" + partition),
          new Owner(topic.getString("owner", ""), topic.getJsonNumber("epoch").longValue()));
    }
    return owners;
  }

  private static int indexOf(List<Broker> brokers, String url) {
    for (int i = 0; i < brokers.size(); i++) {
      if (url.equals(brokers.get(i).uri().toString().replaceAll("/$", ""))) {
        return i;
      }
    }
    throw new IllegalStateException("No member serves at " + url);
  }

  /**
   * Milliseconds from the fault until every topic of the member is served again: a produce of the
   * topic's probe, sent through the other members after the fault, acknowledged; -1 if one was not
   * within a minute. (Acknowledgements of the load measure the clients' timeouts as well: a request
   * sent to a member just before it was cut off waits for its timeout.)
   */
  private long awaitServed(List<String> topics, List<URI> others, long since) {
    List<CompletableFuture<Long>> served = new ArrayList<>();
    for (String topic : topics) {
      Ledger.Producer probe = probes.get(topic);
      served.add(
          CompletableFuture.supplyAsync(
              () -> {
                long deadline = since + 60_000_000_000L;
                for (int i = 0; System.nanoTime() < deadline; i++) {
                  String message = probe.next();
                  try {
                    Http.Reply reply =
                        new Http(others.get(i % others.size()))
                            .post(
                                "producer/produce",
                                Http.json(
                                        "topic", topic, "producer_id", probe.id, "message", message)
                                    .toString(),
                                Duration.ofSeconds(3));
                    if (reply.isSuccess()) {
                      probe.acknowledged.add(message);
                      return (System.nanoTime() - since) / 1_000_000;
                    }
                  } catch (RuntimeException e) {
                    // not served yet
                  }
                  probe.unsure.add(message);
                  sleep(20);
                }
                return -1L;
              }));
    }
    long slowest = 0;
    for (var one : served) {
      long millis = one.join();
      if (millis < 0) {
        return -1;
      }
      slowest = Math.max(slowest, millis);
    }
    return slowest;
  }

  static String table(int members, Fault fault, List<Cycle> cycles) {
    StringBuilder out = new StringBuilder();
    out.append("Cluster of ")
        .append(members)
        .append(" members on PostgreSQL: ")
        .append(
            fault == Fault.KILL
                ? "the member serving a topic killed (SIGKILL) under load, started again"
                : "the member serving a topic cut off (its link down) under load, healed")
        .append(", audit\n\n");
    out.append(fault == Fault.KILL ? "| cycle | killed |" : "| cycle | cut off |")
        .append(" its topics | unavailable | back in | epochs rose |")
        .append(" stored under an older epoch | ")
        .append(Audit.Findings.HEADER)
        .append(" | at least once: lost | redelivered | stored twice |")
        .append(" partitioned (6): its partitions | acknowledged | lost | stored twice |")
        .append(" wrong partition |")
        .append(" out of key order |\n");
    out.append(
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
            + "---|---|---|\n");
    for (Cycle cycle : cycles) {
      ExplicitAudit.Findings e = cycle.explicit();
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | member %d | %d | %s | %s | %d | %d | %s | %d | %d | %d | %d | %d | %d | %d |"
                  + " %d | %d |%n",
              cycle.number(),
              cycle.killed(),
              cycle.topicsMoved(),
              cycle.outageMillis() < 0 ? "over 60 s" : cycle.outageMillis() + " ms",
              cycle.rejoinMillis() < 0 ? "over 120 s" : cycle.rejoinMillis() + " ms",
              cycle.fenced(),
              cycle.epochsBack(),
              cycle.findings().cells(),
              e.lost(),
              e.redelivered(),
              e.storedTwice(),
              cycle.partitionsMoved(),
              cycle.keyed().acknowledged(),
              cycle.keyed().lost(),
              cycle.keyed().storedTwice(),
              cycle.keyed().wrongPartition(),
              cycle.keyed().outOfOrder()));
    }
    out.append(summary(cycles));
    return out.toString();
  }

  /** Unavailable and back-in times over the cycles: min / median / max. */
  static String summary(List<Cycle> cycles) {
    return String.format(
        Locale.ROOT,
        "%nUnavailable min / median / max: %s; back in: %s; acknowledged %,d, lost %d.%n",
        spread(cycles.stream().mapToLong(Cycle::outageMillis).toArray()),
        spread(cycles.stream().mapToLong(Cycle::rejoinMillis).toArray()),
        cycles.isEmpty() ? 0 : cycles.get(cycles.size() - 1).findings().acknowledged(),
        cycles.stream()
            .mapToLong(c -> c.findings().lost() + c.explicit().lost() + c.keyed().lost())
            .sum());
  }

  private static String spread(long[] millis) {
    if (millis.length == 0) {
      return "-";
    }
    long[] sorted = millis.clone();
    java.util.Arrays.sort(sorted);
    return sorted[0]
        + " / "
        + sorted[sorted.length / 2]
        + " / "
        + sorted[sorted.length - 1]
        + " ms";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
