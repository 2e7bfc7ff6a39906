package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Layout;
import org.junit.jupiter.api.Test;

/**
 * The cluster drill, short (the full run: {@code harness/run.sh cluster --cycles 20}): three
 * brokers on one PostgreSQL database; the member serving a topic killed under load and started
 * again, or cut off from the network while it runs on and healed; nothing acknowledged lost, its
 * topics served by the others within seconds under higher epochs, nothing written by it after; at
 * the end the last member alone serves nothing.
 */
class ClusterIT {

  static void check(ClusterDrill.Fault fault, ClusterDrill.Result result) {
    System.out.println(ClusterDrill.table(3, fault, result.cycles()));
    for (ClusterDrill.Cycle cycle : result.cycles()) {
      assertTrue(cycle.isClean(), cycle::toString);
      assertTrue(cycle.topicsMoved() > 0, cycle::toString);
      assertTrue(cycle.outageMillis() < 30_000, cycle::toString);
      assertTrue(cycle.findings().acknowledged() > 100, cycle::toString);
    }
    assertNull(result.minorityProblem());
  }

  @Test
  void membersTakeOverAKilledMembersTopicsAndLoseNothing() throws Exception {
    ClusterDrill.Fault kill = ClusterDrill.Fault.KILL;
    check(kill, new ClusterDrill(3, 1, 7, kill, Layout.scratch("cluster-kill")).run());
  }

  /** Members in network namespaces (root, as DatabaseFailoverIT): the link of one goes down. */
  @Test
  void membersTakeOverTheTopicsOfAMemberCutOffAndItWritesNothingAfter() throws Exception {
    ClusterDrill.Fault cut = ClusterDrill.Fault.CUT;
    check(cut, new ClusterDrill(3, 1, 11, cut, Layout.scratch("cluster-cut")).run());
  }
}
