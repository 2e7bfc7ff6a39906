package dev.logqueue.harness;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.LogQueueException;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Ports;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database fails over under load: two PostgreSQL servers, a primary and a streaming standby
 * (synchronous: a commit is acknowledged once the standby has it; or asynchronous), a broker that
 * knows both ({@code LOGQUEUE_DB_HOSTS}), producers sending through the SDK (each message with an
 * id of its own) and an explicit consumer reading through it. Each cycle holds the standby's WAL
 * receiver for a second ({@link #LAG}: a congested network between the servers), kills the
 * primary's postmaster (SIGKILL), promotes the standby, and rebuilds the old primary as the new
 * standby from a base backup. Then: is every acknowledged message stored once on the last primary,
 * and did the consumer get it; how long did the clients see the outage (from the kill to the
 * acknowledgement of the first send started after it).
 */
final class DatabaseFailover {

  private static final System.Logger LOG = System.getLogger(DatabaseFailover.class.getName());
  private static final String TOPIC = "failover";

  /** How far the standby falls behind before each failover. */
  static final Duration LAG = Duration.ofSeconds(1);

  /**
   * One cycle: from the kill to the first acknowledgement of a send started after it; whether
   * readiness said DOWN meanwhile.
   */
  record Cycle(int number, long outageMillis, long acknowledged, boolean readinessDown) {}

  /** A run: its cycles and what the checks found. */
  record Result(
      String mode,
      boolean mustNotLose,
      List<Cycle> cycles,
      long acknowledged,
      long lost,
      long duplicated,
      long notConsumed,
      long failedSends) {
    boolean clean() {
      return lost == 0 && duplicated == 0 && notConsumed == 0;
    }
  }

  /** How the servers are run: by the drill itself, or by Patroni. */
  enum Mode {
    SYNCHRONOUS("synchronous", true),
    ASYNCHRONOUS("asynchronous", false),
    PATRONI("Patroni, synchronous_mode", true);

    final String title;
    final boolean mustNotLose;

    Mode(String title, boolean mustNotLose) {
      this.title = title;
      this.mustNotLose = mustNotLose;
    }
  }

  /** A primary and a standby, and what a failover does to them. */
  interface Pair extends AutoCloseable {
    /** The broker's LOGQUEUE_DB_HOSTS. */
    String hosts();

    /** The fault: the primary is gone once this returns. */
    void fail() throws Exception;

    /** What follows until a primary takes writes (promotion). */
    void failOver() throws Exception;

    /** The old primary made the new standby again. */
    void rebuild() throws Exception;

    /** The primary now, for the checks. */
    java.sql.Connection connectToPrimary() throws SQLException;

    @Override
    void close();
  }

  private final Path folder;
  private final Mode mode;
  private final int cycles;
  private final Duration between;

  DatabaseFailover(Path folder, Mode mode, int cycles, Duration between) {
    this.folder = folder;
    this.mode = mode;
    this.cycles = cycles;
    this.between = between;
  }

  Result run() throws Exception {
    try (Pair pair =
        mode == Mode.PATRONI
            ? new Patroni(folder)
            : new Streaming(folder, mode == Mode.SYNCHRONOUS)) {
      Database database =
          new Database(
              "postgresql",
              Map.of(
                  "LOGQUEUE_DB", "postgresql",
                  "LOGQUEUE_DB_HOSTS", pair.hosts(),
                  "LOGQUEUE_DB_NAME", "logqueue",
                  "LOGQUEUE_DB_USER", "postgres",
                  "LOGQUEUE_DB_PASSWORD", "postgres"));
      Broker broker = Broker.on(database).dataDirectory(folder.resolve("broker")).start();
      Load load = new Load(broker.uri().toString());
      Readiness readiness = new Readiness(broker);
      List<Cycle> done = new ArrayList<>();
      try {
        load.start();
        for (int cycle = 1; cycle <= cycles; cycle++) {
          Thread.sleep(between.toMillis());
          pair.fail();
          long faultAt = System.nanoTime();
          readiness.reset();
          pair.failOver();
          long outage = load.awaitSuccessAfter(faultAt, Duration.ofSeconds(120));
          boolean down = readiness.sawDown();
          pair.rebuild();
          done.add(new Cycle(cycle, outage, load.acknowledged.size(), down));
          LOG.log(
              System.Logger.Level.INFO,
              "{0} cycle {1}: outage {2} ms, {3} acknowledged so far",
              mode.title,
              cycle,
              outage,
              load.acknowledged.size());
        }
        Thread.sleep(between.toMillis());
      } finally {
        load.stop();
        readiness.stop();
      }
      load.drain(Duration.ofSeconds(60));
      Map<String, Integer> stored;
      try (java.sql.Connection connection = pair.connectToPrimary()) {
        stored = stored(connection);
      }
      long lost = load.acknowledged.stream().filter(text -> !stored.containsKey(text)).count();
      long duplicated = stored.values().stream().filter(count -> count > 1).count();
      long notConsumed =
          load.acknowledged.stream().filter(text -> !load.consumed.contains(text)).count();
      broker.stop();
      return new Result(
          mode.title,
          mode.mustNotLose,
          done,
          load.acknowledged.size(),
          lost,
          duplicated,
          notConsumed,
          load.failedSends.get());
    }
  }

  /**
   * Two servers the drill runs itself, a relay between them ({@link ReplicationLink}). A failure:
   * the standby falls a second behind (the link holds what the primary sends, as a congested
   * network would), then the primary dies and the link with it; the drill promotes the standby
   * (with synchronous replication, commits wait for the standby meanwhile; with asynchronous ones
   * they are acknowledged, and the promoted standby lacks them), then rebuilds the old primary from
   * a base backup of the new one.
   */
  private static final class Streaming implements Pair {
    private final boolean synchronous;
    private PgServer primary;
    private PgServer standby;
    private ReplicationLink link;

    Streaming(Path folder, boolean synchronous) {
      this.synchronous = synchronous;
      primary = new PgServer("node_a", folder.resolve("node_a"), Ports.free());
      standby = new PgServer("node_b", folder.resolve("node_b"), Ports.free());
      primary.createPrimary();
      primary.sql("postgres", "CREATE DATABASE logqueue");
      link = new ReplicationLink(primary.port());
      standby.createStandbyOf(primary, link.port());
      if (synchronous) {
        primary.synchronousStandbys(standby.name());
      }
    }

    @Override
    public String hosts() {
      return primary.address() + "," + standby.address();
    }

    @Override
    public void fail() throws InterruptedException {
      link.hold();
      Thread.sleep(LAG.toMillis());
      primary.kill();
      link.close();
    }

    @Override
    public void failOver() {
      standby.promote();
      if (synchronous) {
        // until a standby is back, commits go on without one (as Patroni's synchronous_mode, not
        // strict): what is acknowledged meanwhile is on one server only
        standby.synchronousStandbys("");
      }
    }

    @Override
    public void rebuild() {
      link = new ReplicationLink(standby.port());
      primary.createStandbyOf(standby, link.port());
      if (synchronous) {
        standby.synchronousStandbys(primary.name());
      }
      PgServer promoted = standby;
      standby = primary;
      primary = promoted;
    }

    @Override
    public java.sql.Connection connectToPrimary() throws SQLException {
      return primary.connect("logqueue");
    }

    @Override
    public void close() {
      link.close();
      primary.stop();
      standby.stop();
    }
  }

  /**
   * The same pair run by Patroni with {@code synchronous_mode: true}: a failure is the primary's
   * node dying (Patroni and PostgreSQL at once); Patroni promotes the standby once the leader key
   * expires, and the dead node, started again, rejoins as the standby (pg_rewind).
   */
  private static final class Patroni implements Pair {
    private final PatroniPair pair;
    private PatroniPair.Node failed;

    Patroni(Path folder) throws Exception {
      pair = new PatroniPair(folder);
      pair.start();
      try (java.sql.Connection connection = connect("postgres");
          java.sql.Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE logqueue");
      }
    }

    @Override
    public String hosts() {
      return pair.nodes.get(0).address() + "," + pair.nodes.get(1).address();
    }

    @Override
    public void fail() throws InterruptedException {
      failed = pair.primary();
      if (failed == null) {
        throw new IllegalStateException("no primary to kill");
      }
      pair.kill(failed);
    }

    @Override
    public void failOver() throws InterruptedException {
      PatroniPair.Node survivor = pair.other(failed);
      PatroniPair.await(
          survivor.name + " promoted by Patroni",
          Duration.ofSeconds(90),
          () -> pair.role(survivor).equals("primary"));
    }

    @Override
    public void rebuild() throws InterruptedException {
      pair.startNode(failed);
      PatroniPair.Node rejoined = failed;
      PatroniPair.await(
          rejoined.name + " a synchronous standby again",
          Duration.ofSeconds(120),
          () -> pair.isSynchronousStandby(rejoined));
    }

    @Override
    public java.sql.Connection connectToPrimary() throws SQLException {
      return connect("logqueue");
    }

    private java.sql.Connection connect(String database) throws SQLException {
      PatroniPair.Node primary = pair.primary();
      if (primary == null) {
        throw new SQLException("no primary");
      }
      return java.sql.DriverManager.getConnection(
          "jdbc:postgresql://" + primary.address() + "/" + database, "postgres", "postgres");
    }

    @Override
    public void close() {
      pair.close();
    }
  }

  /** Each message text of the topic, with how often it is stored. */
  private static Map<String, Integer> stored(java.sql.Connection connection) throws SQLException {
    Map<String, Integer> stored = new HashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT convert_from(m.payload, 'UTF8'), count(*) FROM lq_message m"
                + " JOIN lq_topic t ON t.id = m.topic_id WHERE t.name = ? GROUP BY 1")) {
      query.setString(1, TOPIC);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          stored.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    return stored;
  }

  /** Polls the broker's readiness every 50 ms, and remembers whether it said DOWN. */
  private static final class Readiness {
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicBoolean polling = new AtomicBoolean(true);

    Readiness(Broker broker) {
      Http http = new Http(broker.uri());
      Thread thread =
          new Thread(
              () -> {
                while (polling.get()) {
                  try {
                    if (http.get("health/ready").status() != 200) {
                      down.set(true);
                    }
                  } catch (RuntimeException unreachable) {
                    down.set(true);
                  }
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "drill-readiness");
      thread.setDaemon(true);
      thread.start();
    }

    void reset() {
      down.set(false);
    }

    boolean sawDown() {
      return down.get();
    }

    void stop() {
      polling.set(false);
    }
  }

  /** Producers and an explicit consumer through the SDK, and what each saw. */
  private static final class Load {
    private static final int PRODUCERS = 4;

    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> consumed = ConcurrentHashMap.newKeySet();
    final AtomicLong failedSends = new AtomicLong();
    private final AtomicLong lastSuccess = new AtomicLong();

    /** When the latest send that succeeded was started. */
    private final AtomicLong newSuccess = new AtomicLong();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final String url;
    private Producer producer;
    private Consumer consumer;

    Load(String url) {
      this.url = url;
    }

    void start() {
      producer = Producer.builder(url).topics(TOPIC).build();
      consumer = Consumer.builder(url).topics(TOPIC).name("drill").explicitAck().build();
      AtomicLong sequence = new AtomicLong();
      for (int p = 0; p < PRODUCERS; p++) {
        Thread thread =
            new Thread(
                () -> {
                  while (running.get()) {
                    String text = "m-" + sequence.incrementAndGet();
                    long started = System.nanoTime();
                    try {
                      producer.send(TOPIC, text);
                      acknowledged.add(text);
                      long now = System.nanoTime();
                      lastSuccess.set(now);
                      newSuccess.accumulateAndGet(started, Math::max);
                    } catch (LogQueueException failed) {
                      failedSends.incrementAndGet();
                      pause(50);
                    }
                  }
                },
                "drill-producer-" + p);
        threads.add(thread);
      }
      Thread reader =
          new Thread(
              () -> {
                while (consuming.get()) {
                  try {
                    for (Message message : consumer.pollBatch(Duration.ofMillis(500), 500)) {
                      consumed.add(message.text());
                      consumer.processed(message);
                    }
                  } catch (LogQueueException unavailable) {
                    pause(100);
                  } catch (RuntimeException closed) {
                    if (consuming.get()) {
                      LOG.log(System.Logger.Level.WARNING, "consumer: " + closed);
                      pause(100);
                    }
                  }
                }
              },
              "drill-consumer");
      threads.add(reader);
      threads.forEach(Thread::start);
    }

    /**
     * Waits until a send started after the fault is acknowledged: the outage the clients saw, from
     * the fault to that acknowledgement (the SDK's own retries within it are part of it).
     */
    long awaitSuccessAfter(long faultAt, Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (newSuccess.get() <= faultAt) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no success within " + limit + " after the failover");
        }
        Thread.sleep(5);
      }
      return (lastSuccess.get() - faultAt) / 1_000_000;
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        if (!thread.getName().equals("drill-consumer")) {
          thread.join(60_000);
        }
      }
      producer.close();
    }

    /** Lets the consumer read until it has every acknowledged message, or the limit passes. */
    void drain(Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (!consumed.containsAll(acknowledged) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      consuming.set(false);
      for (Thread thread : threads) {
        thread.join(60_000);
      }
      try {
        consumer.close();
      } catch (LogQueueException refused) {
        // after a failover that lost commits (asynchronous replication), offsets it was given are
        // gone or other messages': its last acknowledgements are refused
        LOG.log(
            System.Logger.Level.WARNING,
            "The consumer's last acknowledgements: " + refused.getMessage());
      }
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The table of runs, in Markdown. */
  static String table(List<Result> results) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| replication | cycles | acknowledged | lost | stored twice | not consumed |"
            + " outage min / median / max ms | readiness DOWN in the outage |"
            + " sends refused during outages |\n");
    out.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Result result : results) {
      List<Long> outages = result.cycles().stream().map(Cycle::outageMillis).sorted().toList();
      out.append(
          String.format(
              "| %s | %d | %,d | %,d | %,d | %,d | %s | %d of %d cycles | %,d |%n",
              result.mode(),
              result.cycles().size(),
              result.acknowledged(),
              result.lost(),
              result.duplicated(),
              result.notConsumed(),
              outages.isEmpty()
                  ? "-"
                  : outages.get(0)
                      + " / "
                      + outages.get(outages.size() / 2)
                      + " / "
                      + outages.get(outages.size() - 1),
              result.cycles().stream().filter(Cycle::readinessDown).count(),
              result.cycles().size(),
              result.failedSends()));
    }
    return out.toString();
  }
}
