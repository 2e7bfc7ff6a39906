package dev.logqueue.benchmark;

import dev.logqueue.sdk.Producer;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Ports;
import dev.logqueue.testkit.Postgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of a cluster of 1, 2 and 3 members on this one machine: {@code benchmark/run.sh
 * cluster [--duration 30] [--warmup 30]}. The members share one embedded PostgreSQL; one SDK
 * producer is given all the members' URLs and spreads its requests over them, so that with N
 * members (N-1)/N of the requests are forwarded to the member serving their topic. The machine's
 * CPU is the same for every N: the figures show what forwarding and fencing cost, not what more
 * machines give (README, Cluster, estimates that from these figures).
 */
final class ClusterSpeed {

  static final List<String> TOPICS =
      List.of("speed-a", "speed-b", "speed-c", "speed-d", "speed-e", "speed-f");

  static final int THREADS = 32;

  record Row(int members, double messagesPerSecond, double p50, double p99, long failures) {}

  private ClusterSpeed() {}

  static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(30);
    Duration warmup = Duration.ofSeconds(30);
    int most = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--members" -> most = Integer.parseInt(args[++i]);
        default -> {
          // the command itself
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int members = 0; members <= most; members++) { // 0: one broker, not clustered
      rows.add(measure(members, warmup, duration));
    }
    String table = table(rows, duration);
    System.out.println(table);
    Path out =
        Path.of(System.getProperty("logqueue.root", ".")).resolve("benchmark/results/cluster.md");
    Files.writeString(
        out,
        "# Cluster throughput\n\n`benchmark/run.sh cluster --duration "
            + duration.toSeconds()
            + " --warmup "
            + warmup.toSeconds()
            + "`, "
            + java.time.LocalDate.now()
            + ", on one 2-core machine (every member, PostgreSQL and the client share it).\n\n"
            + table);
    System.out.println("Written: " + out);
  }

  private static Row measure(int members, Duration warmup, Duration duration) throws IOException {
    Benchmark.log(members == 0 ? "== one broker, not clustered" : "== a cluster of " + members);
    try (Postgres postgres = Postgres.start(0)) {
      Database database = Database.postgresql(postgres);
      List<String> grid = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        grid.add("127.0.0.1:" + Ports.free());
      }
      List<Broker> brokers = new ArrayList<>();
      try {
        if (members == 0) {
          brokers.add(Broker.on(database).javaOptions("-Xmx512m").launch());
        }
        for (int i = 0; i < members; i++) {
          String address = grid.get(i);
          brokers.add(
              Broker.on(database)
                  .javaOptions("-Xmx512m")
                  .setting("LOGQUEUE_CLUSTER_MEMBERS", String.join(",", grid))
                  .setting("LOGQUEUE_CLUSTER_SIZE", members)
                  .setting("LOGQUEUE_CLUSTER_PORT", address.substring(address.indexOf(':') + 1))
                  .launch());
        }
        brokers.forEach(Broker::awaitReady);
        List<URI> uris = brokers.stream().map(Broker::uri).toList();
        try (Producer producer =
            Producer.builder(uris).topics(TOPICS.toArray(String[]::new)).build()) {
          SdkLoad.run(producer, TOPICS, THREADS, warmup);
          SdkLoad.Result load = SdkLoad.run(producer, TOPICS, THREADS, duration);
          Row row =
              new Row(members, load.messagesPerSecond(), load.p50(), load.p99(), load.failures());
          Benchmark.log(String.format(Locale.ROOT, "%s", row));
          return row;
        }
      } finally {
        brokers.forEach(Broker::stop);
      }
    }
  }

  static String table(List<Row> rows, Duration duration) {
    StringBuilder out = new StringBuilder();
    out.append("One SDK producer (")
        .append(THREADS)
        .append(" application threads calling sendAsync, 16 messages of 100 bytes in flight each,")
        .append(" over ")
        .append(TOPICS.size())
        .append(" topics), given every member's URL; ")
        .append(duration.toSeconds())
        .append(" s measured after a warm-up. The producer sends to the members in turn: with N")
        .append(" members, N-1 requests in N reach a member that forwards them to the one serving")
        .append(" their topic.\n\n");
    out.append("| members | committed msgs/s | vs 1 member | p50 ms | p99 ms | failed |\n");
    out.append("|---|---|---|---|---|---|\n");
    double one =
        rows.stream()
            .filter(row -> row.members() == 1)
            .mapToDouble(Row::messagesPerSecond)
            .findFirst()
            .orElse(1);
    for (Row row : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.2f | %.1f | %.1f | %d |%n",
              row.members() == 0 ? "one broker, not clustered" : row.members(),
              row.messagesPerSecond(),
              row.messagesPerSecond() / one,
              row.p50(),
              row.p99(),
              row.failures()));
    }
    return out.toString();
  }
}
