package dev.logqueue.broker.store.control;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The database schema, in versions: {@code db/migration/V<n>__*.sql}, written for H2 and PostgreSQL
 * alike, and Java ones for what only one of them has ({@link V5__Message_autovacuum}), applied by
 * Flyway when the store is first used rather than at deployment, so that a database that is down at
 * boot does not fail the deployment. Flyway records what it applied in {@value #HISTORY}.
 *
 * <p>The first release created version 1 itself, without a history table: a database that has its
 * tables but no history is taken as being at version 1 (baselined) and upgraded from there. A
 * database without them gets every version, even if it holds other tables (PostgreSQL's {@code
 * public} schema often does).
 */
final class Schema {

  static final String LOCATION = "classpath:db/migration";
  static final String HISTORY = "lq_schema_history";

  private Schema() {}

  /**
   * Brings the schema to the latest version.
   *
   * @return what the database is, for the log: product, version, URL (without its options) and the
   *     schema version
   */
  static String apply(DataSource dataSource) throws SQLException {
    boolean firstRelease = hasTable(dataSource, "lq_topic");
    MigrateResult result =
        Flyway.configure(Schema.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .javaMigrations(new V5__Message_autovacuum())
            .table(HISTORY)
            .baselineOnMigrate(true)
            .baselineVersion(firstRelease ? "1" : "0")
            .baselineDescription(firstRelease ? "tables of the first release" : "before LogQueue")
            .load()
            .migrate();
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData database = connection.getMetaData();
      String url = String.valueOf(database.getURL()).split("[;?]", 2)[0];
      return database.getDatabaseProductName()
          + " "
          + database.getDatabaseProductVersion().split(" ", 2)[0]
          + " at "
          + url
          + ", schema version "
          + (result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion);
    }
  }

  /** Whether the connection's current schema has this table (any case of its name). */
  private static boolean hasTable(DataSource dataSource, String name) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData database = connection.getMetaData();
      String schema = connection.getSchema();
      for (String candidate : new String[] {name, name.toUpperCase(java.util.Locale.ROOT)}) {
        try (ResultSet tables = database.getTables(null, schema, candidate, null)) {
          if (tables.next()) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
