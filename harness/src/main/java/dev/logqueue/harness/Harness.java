package dev.logqueue.harness;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Layout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The full runs, one command: {@code harness/run.sh [crash|outage|hostile|all] [options]}.
 *
 * <pre>
 * --databases h2,postgresql   where the crash harness runs (both by default)
 * --cycles 20                 kill/restart cycles of the crash harness
 * --outage 30                 seconds PostgreSQL stays down in the outage drill
 * --requests 5000             hostile requests, at least
 * --seed 1                    for the random choices (the same seed, the same run)
 * --minutes 30                how long the soak runs per database
 * --rate 2000                 messages per second the soak produces
 * --retention 180             seconds the soak's topic keeps
 * --between 10                seconds of load between two database failovers
 * --modes synchronous,asynchronous,patroni   the database failover drill's replications
 * --members 3                 brokers in the cluster drill
 * --faults kill,cut           the cluster drill's faults: SIGKILL, or the network link cut (root)
 * </pre>
 *
 * {@code cluster} (the cluster drill, {@code harness/results/cluster.md}), {@code dbfailover} and
 * {@code soak} are not part of {@code all}. {@code soak} (an hour): it writes {@code
 * benchmark/results/soak.md} and {@code soak.png}.
 *
 * <p>Prints the summary tables; exits with 1 if anything acknowledged was lost or any check failed.
 */
public final class Harness {

  private Harness() {}

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 && !args[0].startsWith("--") ? args[0] : "all";
    List<String> databases = List.of("h2", "postgresql");
    int cycles = 20;
    int outage = 30;
    int requests = 5_000;
    long seed = 1;
    int minutes = 30;
    int rate = 2_000;
    int retention = 180;
    int between = 10;
    List<String> modeNames = List.of("synchronous", "asynchronous", "patroni");
    int members = 3;
    List<String> faults = List.of("kill", "cut");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--databases" -> databases = List.of(args[++i].split(","));
        case "--cycles" -> cycles = Integer.parseInt(args[++i]);
        case "--outage" -> outage = Integer.parseInt(args[++i]);
        case "--requests" -> requests = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--minutes" -> minutes = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--retention" -> retention = Integer.parseInt(args[++i]);
        case "--between" -> between = Integer.parseInt(args[++i]);
        case "--modes" -> modeNames = List.of(args[++i].split(","));
        case "--members" -> members = Integer.parseInt(args[++i]);
        case "--faults" -> faults = List.of(args[++i].split(","));
        default -> {
          // the command itself
        }
      }
    }
    List<String> failures = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    if (what.equals("crash") || what.equals("all")) {
      for (String kind : databases) {
        Database database = kind.equals("h2") ? Database.h2() : Database.postgresql();
        var results = new CrashHarness(database, cycles, seed, 2, 2).run();
        report.append(CrashHarness.table(kind, results)).append('\n');
        if (!CrashHarness.clean(results)) {
          failures.add("crash harness on " + kind);
        }
      }
    }
    if (what.equals("outage") || what.equals("all")) {
      OutageDrill.Result result = new OutageDrill(Duration.ofSeconds(outage), seed).run();
      report.append(OutageDrill.table(result)).append('\n');
      if (!result.problems().isEmpty()) {
        failures.add("outage drill: " + result.problems());
      }
    }
    if (what.equals("hostile") || what.equals("all")) {
      Broker broker = Broker.on(Database.h2()).start();
      try {
        HostileInput hostile = new HostileInput(broker.uri(), seed);
        HostileInput.Result result = hostile.run(requests);
        report.append(
            String.format(
                "Hostile input: %,d requests, %d 5xx, %d answers not the JSON body, %d leaks, %d times not serving%n",
                result.requests(),
                result.serverErrors(),
                result.notJsonFailures(),
                result.leaks(),
                result.stoppedServing()));
        report
            .append("  declared 1 GB body: ")
            .append(hostile.refusesADeclaredHugeBody())
            .append('\n');
        report
            .append("  endless chunked body: ")
            .append(hostile.refusesAnEndlessChunkedBody())
            .append('\n');
        report.append("  listening: ").append(Listeners.of(broker.pid())).append('\n');
        result.examples().forEach(e -> report.append("  ").append(e).append('\n'));
        if (!result.clean()) {
          failures.add("hostile input");
        }
      } finally {
        broker.stop();
      }
    }
    if (what.equals("soak")) {
      List<Soak.Result> results = new ArrayList<>();
      for (String kind : databases) {
        Database database = kind.equals("h2") ? Database.h2() : Database.postgresql();
        Soak.Result result =
            new Soak(database, Duration.ofMinutes(minutes), Duration.ofSeconds(retention), rate)
                .run();
        results.add(result);
        report.append(Soak.table(result)).append('\n');
        if (!result.flat()) {
          failures.add("soak on " + kind + ": disk or RSS beyond 1.5x");
        }
      }
      Path out = Path.of(System.getProperty("logqueue.root", ".")).resolve("benchmark/results");
      Soak.write(results, out);
      report.append("Written to ").append(out.resolve("soak.md")).append('\n');
    }
    if (what.equals("dbfailover")) {
      List<DatabaseFailover.Result> results = new ArrayList<>();
      List<DatabaseFailover.Mode> modes = new ArrayList<>();
      for (String name : modeNames) {
        DatabaseFailover.Mode mode = DatabaseFailover.Mode.valueOf(name.toUpperCase());
        if (mode == DatabaseFailover.Mode.PATRONI && !PatroniPair.installed()) {
          report.append(
              "Patroni: not installed here (apt-get install patroni etcd-server), not run\n");
        } else {
          modes.add(mode);
        }
      }
      for (DatabaseFailover.Mode mode : modes) {
        Path folder = Layout.scratch("db-failover-" + mode.name().toLowerCase());
        DatabaseFailover.Result result =
            new DatabaseFailover(folder, mode, cycles, Duration.ofSeconds(between)).run();
        results.add(result);
        if (result.mustNotLose() && !result.clean()) {
          failures.add("database failover, " + result.mode() + ": " + result);
        }
      }
      String table = DatabaseFailover.table(results);
      report.append("Database failover, ").append(cycles).append(" cycles each\n\n").append(table);
      writeResult(
          "db-failover.md",
          "# Database failover drill\n\n`harness/run.sh dbfailover --cycles "
              + cycles
              + " --between "
              + between
              + "` (as root: the servers run as the postgres user). Two PostgreSQL 15 servers of"
              + " Debian's binaries on loopback ports, the broker on both (`LOGQUEUE_DB_HOSTS`), 4"
              + " producers sending through the SDK (each message with an id of its own) and an"
              + " explicit consumer reading through it. *synchronous* and *asynchronous*: the"
              + " drill runs the pair; each cycle the standby falls a second behind (the link"
              + " between the servers holds what the primary sends, as a congested network"
              + " would), the primary's postmaster and its processes are killed (SIGKILL), the"
              + " standby is promoted, and the old primary is rebuilt from a base backup of the"
              + " new one. *Patroni*: Patroni with etcd and `synchronous_mode: true` runs the"
              + " pair; each cycle the primary's node dies (Patroni and PostgreSQL at once),"
              + " Patroni promotes the standby once the leader key expires (ttl 12 s), and the"
              + " node started again rejoins as the standby. Outage: from the kill to the"
              + " acknowledgement of the first send started after it. Lost: acknowledged, and not"
              + " on the last primary. Not consumed: acknowledged, and never given to the"
              + " consumer.\n\n"
              + table);
    }
    if (what.equals("cluster")) {
      StringBuilder file =
          new StringBuilder(
              "# Cluster failover drill\n\n`harness/run.sh cluster --cycles "
                  + cycles
                  + " --members "
                  + members
                  + " --faults "
                  + String.join(",", faults)
                  + "`: "
                  + members
                  + " brokers, one PostgreSQL database, producers and consumers of six topics"
                  + " spread over all members (v1 producers and consumers, a producer per topic"
                  + " that retries with message ids, an explicit consumer per topic); a client"
                  + " leaves a member that did not answer (refused, or silent for 10 s) for 5 s,"
                  + " as the SDK does. Each cycle, under load, does one fault to the member that"
                  + " serves a topic chosen at random: *kill*, SIGKILL, started again 2 s after"
                  + " its topics are served again (members on loopback, embedded PostgreSQL);"
                  + " *cut*, its network link down while it runs on, up again 2 s after its"
                  + " topics are served again (each member in a network namespace of its own on"
                  + " one bridge, Debian's PostgreSQL 15 on this machine's address there). Then"
                  + " every acknowledgement is audited through the members. Unavailable: from the"
                  + " fault until a produce to each of that member's topics, sent through the"
                  + " other members after the fault, is acknowledged (the clients' own timeouts"
                  + " not counted). Back in: from the restart (or the healing) until every member"
                  + " is ready, sees every member published and holds the slots it should, and"
                  + " together they hold every slot. Epochs rose: of its topics, those served by"
                  + " another member under a higher slot epoch once served again (the member's"
                  + " commits are fenced from then on). Stored under an older epoch: messages"
                  + " whose writer's epoch is lower than that of the message before them in"
                  + " their topic, read from the database (a fenced member that still wrote).\n\n");
      for (String name : faults) {
        ClusterDrill.Fault fault = ClusterDrill.Fault.valueOf(name.toUpperCase());
        ClusterDrill.Result result =
            new ClusterDrill(members, cycles, seed, fault, Layout.scratch("cluster-" + name)).run();
        String table = ClusterDrill.table(members, fault, result.cycles());
        String alone =
            "\nAt the end, the last member alone (the others killed): "
                + (result.minorityProblem() == null
                    ? "readiness DOWN (fewer than a majority), every produce refused (503).\n"
                    : result.minorityProblem() + "\n");
        report.append(table).append(alone);
        file.append("## ").append(name).append("\n\n").append(table).append(alone).append('\n');
        if (!result.isClean()) {
          failures.add("cluster drill, " + name);
        }
      }
      writeResult("cluster.md", file.toString());
    }
    System.out.println();
    System.out.println(report);
    if (!failures.isEmpty()) {
      System.out.println("FAILED: " + failures);
      System.exit(1);
    }
    System.out.println("All checks passed.");
  }

  /** Writes a full run's report to {@code harness/results/<file>}. */
  private static void writeResult(String file, String text) throws java.io.IOException {
    Path out = Path.of(System.getProperty("logqueue.root", ".")).resolve("harness/results");
    java.nio.file.Files.createDirectories(out);
    java.nio.file.Files.writeString(out.resolve(file), text);
  }
}
