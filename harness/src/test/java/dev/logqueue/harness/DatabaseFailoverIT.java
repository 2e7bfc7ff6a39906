package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Layout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database failover drill, short: two cycles with synchronous replication (the full run, ten
 * cycles of each kind: {@code harness/run.sh dbfailover}).
 */
class DatabaseFailoverIT {

  @Test
  void withASynchronousStandbyNothingAcknowledgedIsLostAcrossTwoFailovers() throws Exception {
    DatabaseFailover.Result result =
        new DatabaseFailover(
                Layout.scratch("db-failover"),
                DatabaseFailover.Mode.SYNCHRONOUS,
                2,
                Duration.ofSeconds(4))
            .run();
    System.out.println(DatabaseFailover.table(List.of(result)));
    assertTrue(result.acknowledged() > 100, "the producers made progress: " + result);
    assertEquals(0, result.lost(), "lost: " + result);
    assertEquals(0, result.duplicated(), "stored twice: " + result);
    assertEquals(0, result.notConsumed(), "not consumed: " + result);
    for (DatabaseFailover.Cycle cycle : result.cycles()) {
      assertTrue(cycle.outageMillis() < 60_000, "outage: " + cycle);
    }
  }
}
