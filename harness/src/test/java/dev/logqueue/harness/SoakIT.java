package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Database;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak, short: two minutes per database with a retention of 20 s (the full run: {@code
 * harness/run.sh soak}, 30 minutes each, checks the 1.5x bound). The disk stops growing with the
 * data (too short a run for the 1.5x bound on H2, which keeps freed space for 45 s before it writes
 * it again, and grows in steps), RSS stays within 1.5x of its value after the first retention
 * period, the retained messages stay about what 20 s bring, and a large deletion completes.
 */
class SoakIT {

  static void check(Soak.Result result) {
    System.out.println(Soak.table(result));
    assertTrue(
        result.plateaued(),
        "the disk grew at most half as fast as in the first retention period, over the last 40 s: "
            + result.recentGrowthShare());
    assertTrue(
        result.maxRss() <= 1.5 * result.reference().rssBytes(),
        "RSS within 1.5x of the first retention period");
    long bound = (long) (result.rate() * (result.retention().toSeconds() + 5));
    for (Soak.Sample sample : result.after()) {
      assertTrue(sample.retained() <= bound, sample + " retains more than 20 s of messages");
    }
    assertTrue(result.produced() > result.rate() * 50L, "the producer kept its pace: " + result);
  }

  @Test
  void diskAndMemoryStayFlatOnH2() throws Exception {
    check(new Soak(Database.h2(), Duration.ofMinutes(2), Duration.ofSeconds(20), 1_000).run());
  }

  @Test
  void diskAndMemoryStayFlatOnPostgresql() throws Exception {
    check(
        new Soak(Database.postgresql(), Duration.ofMinutes(2), Duration.ofSeconds(20), 1_000)
            .run());
  }
}
