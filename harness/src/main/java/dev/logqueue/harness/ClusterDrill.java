package dev.logqueue.harness;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Ports;
import dev.logqueue.testkit.Wire;
import jakarta.json.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

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

  /** Where a topic is served: the member's URL and the epoch of its slot there. */
  record Owner(String url, long epoch) {}

  record Cycle(
      int number,
      int killed,
      int topicsMoved,
      long outageMillis,
      int fenced,
      long epochsBack,
      Audit.Findings findings,
      ExplicitAudit.Findings explicit) {

    /**
     * Every topic of the killed member came back, under a higher epoch; no message was written
     * under a lower epoch than the one before it (no former owner wrote after a new one); nothing
     * lost.
     */
    boolean isClean() {
      return findings.isClean()
          && explicit.isClean()
          && fenced == topicsMoved
          && epochsBack == 0
          && outageMillis >= 0;
    }
  }

  private final int members;
  private final int cycles;
  private final long seed;
  private Database database;

  ClusterDrill(int members, int cycles, long seed) {
    this.members = members;
    this.cycles = cycles;
    this.seed = seed;
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

  Result run() {
    Random random = new Random(seed);
    database = Database.postgresql();
    List<Integer> gridPorts = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      gridPorts.add(Ports.free());
    }
    String addresses =
        gridPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    List<Broker> brokers = new ArrayList<>();
    List<Cycle> results = new ArrayList<>();
    try {
      for (int i = 0; i < members; i++) {
        brokers.add(
            Broker.on(database)
                .setting("LOGQUEUE_CLUSTER_MEMBERS", addresses)
                .setting("LOGQUEUE_CLUSTER_PORT", gridPorts.get(i))
                .launch());
      }
      brokers.forEach(Broker::awaitReady);
      List<URI> uris = brokers.stream().map(Broker::uri).toList();
      Ledger ledger = new Ledger();
      Wire wire = new Wire(uris.get(0));
      for (String topic : TOPICS) {
        ledger.producer(wire.registerProducer(topic), topic);
        ledger.consumer(wire.registerConsumer(topic), topic);
        ledger.producer(wire.registerProducer(topic), topic, true);
        ledger.explicitConsumer(CrashHarness.registerExplicit(wire, topic), topic);
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
    int victim;
    Map<String, Owner> before;
    List<String> moved;
    try (Load load = new Load(uris, ledger, seed + number * 1_000L, null).start()) {
      sleep(1_500 + random.nextInt(2_500));
      before = placement(uris.get(0));
      String url = before.get(TOPICS.get(random.nextInt(TOPICS.size()))).url();
      victim = indexOf(brokers, url);
      moved =
          before.entrySet().stream()
              .filter(e -> e.getValue().url().equals(url))
              .map(Map.Entry::getKey)
              .toList();
      Map<String, Integer> acknowledged = acknowledged(ledger, moved);
      long killed = System.nanoTime();
      brokers.get(victim).kill(); // SIGKILL, under load
      outage = awaitAcknowledgements(ledger, moved, acknowledged, killed);
      sleep(2_000);
      brokers.get(victim).start(); // rejoins under load, takes its share back
      sleep(1_000);
    }
    Map<String, Owner> after = placement(uris.get((victim + 1) % uris.size()));
    int fenced = 0;
    for (String topic : moved) {
      if (after.get(topic).epoch() > before.get(topic).epoch()) {
        fenced++;
      }
    }
    Wire wire = new Wire(uris.get(random.nextInt(uris.size())));
    ExplicitAudit.Findings explicit = ExplicitAudit.run(wire, ledger, TOPICS);
    Audit.Findings findings = Audit.run(wire, ledger, TOPICS);
    return new Cycle(
        number, victim + 1, moved.size(), outage, fenced, epochsBack(), findings, explicit);
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

  /** Each topic's owner and epoch, as a member tells them (GET /cluster). */
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
      owners.put(
          topic.getString("name"),
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

  private static Map<String, Integer> acknowledged(Ledger ledger, List<String> topics) {
    Map<String, Integer> counts = new HashMap<>();
    for (Ledger.Producer producer : ledger.producers.values()) {
      if (topics.contains(producer.topic)) {
        counts.merge(producer.topic, producer.acknowledged.size(), Integer::sum);
      }
    }
    return counts;
  }

  /**
   * Milliseconds from the kill until every topic of the killed member had a message acknowledged
   * after it; -1 if one did not within a minute.
   */
  private static long awaitAcknowledgements(
      Ledger ledger, List<String> topics, Map<String, Integer> before, long killed) {
    long deadline = killed + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Map<String, Integer> now = acknowledged(ledger, topics);
      if (topics.stream().allMatch(t -> now.get(t) > before.get(t))) {
        return (System.nanoTime() - killed) / 1_000_000;
      }
      sleep(10);
    }
    return -1;
  }

  static String table(int members, List<Cycle> cycles) {
    StringBuilder out = new StringBuilder();
    out.append("Cluster of ")
        .append(members)
        .append(" members on PostgreSQL: the member serving a topic killed (SIGKILL) under load,")
        .append(" started again, audit\n\n");
    out.append("| cycle | killed | its topics | unavailable | epochs rose |")
        .append(" stored under an older epoch | ")
        .append(Audit.Findings.HEADER)
        .append(" | at least once: lost | stored twice |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Cycle cycle : cycles) {
      ExplicitAudit.Findings e = cycle.explicit();
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | member %d | %d | %s | %d | %d | %s | %d | %d |%n",
              cycle.number(),
              cycle.killed(),
              cycle.topicsMoved(),
              cycle.outageMillis() < 0 ? "over 60 s" : cycle.outageMillis() + " ms",
              cycle.fenced(),
              cycle.epochsBack(),
              cycle.findings().cells(),
              e.lost(),
              e.storedTwice()));
    }
    return out.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
