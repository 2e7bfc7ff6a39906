package dev.logqueue.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, run from the binaries on Maven Central (nothing to install):
 * it can be stopped and started again on the same data and port, as an outage.
 */
public final class Postgres implements AutoCloseable {

  public static final String USER = "postgres";

  /** The server trusts local users; Payara's pool insists on some password. */
  public static final String PASSWORD = "postgres";

  private static Postgres shared;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  private Postgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /** Starts a server on the port (0 for any free one), its data in a fresh folder. */
  public static Postgres start(int port) {
    Postgres postgres = new Postgres(Layout.scratch("postgres"), port > 0 ? port : Ports.free());
    postgres.start();
    return postgres;
  }

  /**
   * The server of this test JVM, started on first use (on {@code -Dlogqueue.it.postgres.port} if
   * set) and stopped when the JVM exits.
   */
  public static synchronized Postgres shared() {
    if (shared == null) {
      shared = start(Integer.getInteger("logqueue.it.postgres.port", 0));
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /**
   * Starts on the data directory: a fresh one (a new scratch folder) is initialized, an existing
   * one reused. Never "clean": Zonky would delete the data when the server stops.
   */
  private void start() {
    try {
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", "on")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start", e);
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A new, empty database; its name. */
  public String createDatabase() {
    String name = "logqueue_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    createDatabase(name);
    return name;
  }

  public void createDatabase(String name) {
    execute("CREATE DATABASE " + name);
  }

  private void execute(String sql) {
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Stops the server, as an outage: its data stays. */
  public synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server = null;
    }
  }

  /** Starts the stopped server again, on the same data and port. */
  public synchronized void restart() {
    if (server == null) {
      start();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
