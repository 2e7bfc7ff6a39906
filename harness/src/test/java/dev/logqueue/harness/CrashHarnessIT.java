package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Database;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crash harness, short: a few kill -9 cycles on each database (the full run has 20). */
class CrashHarnessIT {

  static void check(String name, List<CrashHarness.Cycle> cycles) {
    System.out.println(CrashHarness.table(name, cycles));
    assertEquals(3, cycles.size());
    for (CrashHarness.Cycle cycle : cycles) {
      assertTrue(
          cycle.findings().isClean(), name + " cycle " + cycle.number() + ": " + cycle.findings());
      assertTrue(
          cycle.explicit().isClean(), name + " cycle " + cycle.number() + ": " + cycle.explicit());
    }
    Audit.Findings last = cycles.get(cycles.size() - 1).findings();
    assertTrue(last.acknowledged() > 100, "the producers worked: " + last);
    assertTrue(last.consumed() > 100, "the consumers worked: " + last);
    ExplicitAudit.Findings explicit = cycles.get(cycles.size() - 1).explicit();
    assertTrue(explicit.processed() > 100, "the explicit consumers worked: " + explicit);
  }

  @Test
  void nothingAcknowledgedIsLostOnH2() {
    check("h2", new CrashHarness(Database.h2(), 3, 7, 2, 2).run());
  }

  @Test
  void nothingAcknowledgedIsLostOnPostgresql() {
    check("postgresql", new CrashHarness(Database.postgresql(), 3, 11, 2, 2).run());
  }
}
