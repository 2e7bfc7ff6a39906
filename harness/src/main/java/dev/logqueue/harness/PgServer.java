package dev.logqueue.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL 15 server of Debian's binaries ({@code /usr/lib/postgresql/15/bin}) on a loopback
 * port, run as the {@code postgres} user (PostgreSQL refuses root): a primary with streaming
 * replication, or a standby made by {@code pg_basebackup} of another. Its socket lives in its data
 * directory, so it shares nothing with the machine's own server.
 */
final class PgServer {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final String name;
  private final Path data;
  private final int port;
  private String alsoOn;

  /** Servers still running when the JVM exits are stopped, not left behind. */
  private static final java.util.Set<PgServer> STARTED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(PgServer::kill)));
  }

  PgServer(String name, Path data, int port) {
    this.name = name;
    this.data = data;
    this.port = port;
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /**
   * Listens on {@code address} too (an address of a bridge of the test's own network namespaces),
   * trusting the namespaces' range: set before {@link #createPrimary}.
   */
  PgServer alsoOn(String address) {
    this.alsoOn = address;
    return this;
  }

  /** A new primary: initdb, replication allowed from loopback, started. */
  void createPrimary() {
    fresh();
    runAsPostgres(
        BIN.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        "postgres",
        "-A",
        "trust",
        "--no-instructions");
    append(
        "postgresql.conf",
        "listen_addresses = '127.0.0.1"
            + (alsoOn == null ? "" : "," + alsoOn)
            + "'\n"
            + "max_connections = 200\n"
            + "port = "
            + port
            + "\n"
            + "unix_socket_directories = '"
            + data
            + "'\n"
            + "wal_level = replica\n"
            + "max_wal_senders = 8\n"
            + "wal_keep_size = 256MB\n"
            + "hot_standby = on\n"
            + "wal_log_hints = on\n"
            + "synchronous_commit = on\n"
            + "fsync = on\n");
    append(
        "pg_hba.conf",
        "host replication all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n"
            + (alsoOn == null ? "" : "host all all 10.199.0.0/16 trust\n"));
    start();
  }

  /**
   * A new standby of {@code primary}: a base backup that then follows it, as {@code name}, through
   * the link on {@code linkPort} (a relay to the primary's port).
   */
  void createStandbyOf(PgServer primary, int linkPort) {
    fresh();
    runAsPostgres(
        BIN.resolve("pg_basebackup").toString(),
        "-h",
        "127.0.0.1",
        "-p",
        Integer.toString(primary.port),
        "-U",
        "postgres",
        "-D",
        data.toString(),
        "-X",
        "stream",
        "-R",
        "-c",
        "fast",
        "-d",
        "application_name=" + name);
    // it follows the primary through the link (the last setting of the file is the one that holds)
    append(
        "postgresql.auto.conf",
        "port = "
            + port
            + "\nunix_socket_directories = '"
            + data
            + "'\nprimary_conninfo = 'host=127.0.0.1 port="
            + linkPort
            + " user=postgres application_name="
            + name
            + "'\n");
    start();
  }

  void start() {
    STARTED.add(this);
    runAsPostgres(
        BIN.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        data.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "start");
  }

  /**
   * SIGKILL of the postmaster and of all its processes at once: the server stops mid-write, as a
   * machine that loses power would (no backend finishes a commit after it).
   */
  void kill() {
    STARTED.remove(this);
    if (!Files.exists(data.resolve("postmaster.pid"))) {
      return;
    }
    try {
      String pid = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
      run("sh", "-c", "kill -9 " + pid + " $(pgrep -P " + pid + ") 2>/dev/null; exit 0");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void stop() {
    STARTED.remove(this);
    if (Files.exists(data.resolve("postmaster.pid"))) {
      try {
        runAsPostgres(
            BIN.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-m",
            "immediate",
            "-w",
            "stop");
      } catch (IllegalStateException gone) {
        // killed before
      }
    }
  }

  /** Promotes a standby; it takes writes once this returns. */
  void promote() {
    runAsPostgres(
        BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "promote");
  }

  /**
   * Which standbys a commit waits for (their application names): synchronous replication, or none
   * (asynchronous).
   */
  void synchronousStandbys(String names) {
    sql("postgres", "ALTER SYSTEM SET synchronous_standby_names = '" + names + "'");
    sql("postgres", "SELECT pg_reload_conf()");
  }

  /** Runs statements as the superuser on one of its databases. */
  void sql(String database, String... statements) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": " + e.getMessage(), e);
    }
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "postgres");
  }

  private void fresh() {
    run("chmod", "755", data.getParent().toString()); // a test's scratch folder is its own only
    run("rm", "-rf", data.toString());
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run("chown", "postgres:postgres", data.toString());
    run("chmod", "700", data.toString());
  }

  private void append(String file, String lines) {
    run("sh", "-c", "printf '%s' \"$0\" >> \"$1\"", lines, data.resolve(file).toString());
  }

  private static void runAsPostgres(String... command) {
    List<String> asPostgres = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    asPostgres.addAll(List.of(command));
    run(asPostgres.toArray(String[]::new));
  }

  static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
