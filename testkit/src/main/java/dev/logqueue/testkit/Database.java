package dev.logqueue.testkit;

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

  @Override
  public String toString() {
    return kind;
  }
}
