package dev.logqueue.broker.store.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The database schema: {@code META-INF/sql/create-schema.sql}, written for H2 and PostgreSQL alike
 * and idempotent ({@code CREATE ... IF NOT EXISTS}), applied when the store is first read rather
 * than at deployment, so that a database that is down at boot does not fail the deployment.
 */
final class Schema {

  static final String SCRIPT = "META-INF/sql/create-schema.sql";

  private Schema() {}

  /**
   * Applies the schema.
   *
   * @return what the database is, for the log: product, version and URL (without its options)
   */
  static String apply(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements()) {
        statement.execute(sql);
      }
      DatabaseMetaData database = connection.getMetaData();
      String url = String.valueOf(database.getURL()).split("[;?]", 2)[0];
      return database.getDatabaseProductName()
          + " "
          + database.getDatabaseProductVersion().split(" ", 2)[0]
          + " at "
          + url;
    }
  }

  static List<String> statements() {
    try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException("The WAR lacks " + SCRIPT);
      }
      String script =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(line -> !line.strip().startsWith("--"))
              .collect(Collectors.joining("\n"));
      return Arrays.stream(script.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new IllegalStateException("Could not read " + SCRIPT, e);
    }
  }
}
