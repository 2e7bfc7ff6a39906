package dev.logqueue.testkit;

import java.nio.file.Path;
import java.util.Map;

/**
 * The database a broker runs on, as the environment variables that choose it (payara-config/run.sh
 * reads them).
 */
public record Database(String kind, Map<String, String> environment) {

  public static Database h2() {
    return new Database("h2", Map.of("LOGQUEUE_DB", "h2"));
  }

  /** A fresh database on the shared embedded PostgreSQL. */
  public static Database postgresql() {
    return postgresql(Postgres.shared());
  }

  /** A fresh database on this PostgreSQL server. */
  public static Database postgresql(Postgres server) {
    return new Database(
        "postgresql",
        Map.of(
            "LOGQUEUE_DB",
            "postgresql",
            "LOGQUEUE_DB_HOST",
            "127.0.0.1",
            "LOGQUEUE_DB_PORT",
            Integer.toString(server.port()),
            "LOGQUEUE_DB_NAME",
            server.createDatabase(),
            "LOGQUEUE_DB_USER",
            Postgres.USER,
            "LOGQUEUE_DB_PASSWORD",
            Postgres.PASSWORD));
  }

  /** The database the suite runs on: {@code -Dlogqueue.it.database=h2|postgresql}. */
  public static Database forSuite() {
    String kind = System.getProperty("logqueue.it.database", "h2");
    return switch (kind) {
      case "h2" -> h2();
      case "postgresql" -> postgresql();
      default -> throw new IllegalArgumentException("logqueue.it.database: " + kind);
    };
  }

  /**
   * The JDBC URL of this database for a broker on {@code dataDirectory}, to write or read it beside
   * the broker: H2's file under the data directory (payara-config/post-boot-h2.asadmin), or the
   * PostgreSQL database.
   */
  public String jdbcUrl(Path dataDirectory) {
    if (kind.equals("h2")) {
      return "jdbc:h2:" + dataDirectory.toAbsolutePath().resolve("logqueue");
    }
    return "jdbc:postgresql://"
        + environment.get("LOGQUEUE_DB_HOST")
        + ":"
        + environment.get("LOGQUEUE_DB_PORT")
        + "/"
        + environment.get("LOGQUEUE_DB_NAME");
  }

  /** The user of {@link #jdbcUrl}: Payara's H2 pool names none. */
  public String user() {
    return environment.getOrDefault("LOGQUEUE_DB_USER", "");
  }

  public String password() {
    return environment.getOrDefault("LOGQUEUE_DB_PASSWORD", "");
  }

  @Override
  public String toString() {
    return kind;
  }
}
