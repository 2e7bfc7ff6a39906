package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Layout;
import org.junit.jupiter.api.Test;

/**
 * The cluster drill, short (the full run: {@code harness/run.sh cluster --cycles 20}): three
 * brokers on one PostgreSQL database, the member serving a topic killed under load and started
 * again, twice; nothing acknowledged lost, its topics served by the others within seconds under
 * higher epochs; at the end the last member alone serves nothing.
 */
class ClusterIT {

  @Test
  void membersTakeOverAKilledMembersTopicsAndLoseNothing() throws Exception {
    ClusterDrill.Result result =
        new ClusterDrill(3, 2, 7, ClusterDrill.Fault.KILL, Layout.scratch("cluster-kill")).run();
    System.out.println(ClusterDrill.table(3, ClusterDrill.Fault.KILL, result.cycles()));
    for (ClusterDrill.Cycle cycle : result.cycles()) {
      assertTrue(cycle.isClean(), cycle::toString);
      assertTrue(cycle.topicsMoved() > 0, cycle::toString);
      assertTrue(cycle.findings().acknowledged() > 100, cycle::toString);
    }
    assertNull(result.minorityProblem());
  }
}
