package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database outage drill, short: PostgreSQL away for 10 s under load (the full run: 30 s). */
class OutageIT {

  @Test
  void theBrokerRefusesFastWhileTheDatabaseIsAwayAndRecoversByItself() throws Exception {
    OutageDrill.Result result = new OutageDrill(Duration.ofSeconds(10), 5).run();
    System.out.println(OutageDrill.table(result));
    assertEquals(List.of(), result.problems());
    assertTrue(result.unavailableWithRetryAfter() > 0);
    assertTrue(result.findings().acknowledged() > 100, result.findings().toString());
  }
}
