package dev.logqueue.broker.store.control;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 5: on PostgreSQL, the message table is vacuumed as soon as 2% of it (at least 10,000
 * rows) is dead, rather than PostgreSQL's default of 20%. Retention deletes from the low end of the
 * table all the time; each vacuum makes that space reusable by the next inserts, so the table stays
 * at about its retained size plus what dies between two vacuums (README, "Retention"). H2 has no
 * such setting (its store reuses freed pages as it writes): nothing to do there.
 *
 * <p>A Java migration because the statement is PostgreSQL's own; the SQL versions are written for
 * both databases.
 */
public class V5__Message_autovacuum extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    String product = context.getConnection().getMetaData().getDatabaseProductName();
    if (!"PostgreSQL".equalsIgnoreCase(product)) {
      return;
    }
    try (Statement sql = context.getConnection().createStatement()) {
      sql.execute(
          "ALTER TABLE lq_message SET (autovacuum_vacuum_scale_factor = 0.02,"
              + " autovacuum_vacuum_threshold = 10000, autovacuum_analyze_scale_factor = 0.05)");
    }
  }
}
