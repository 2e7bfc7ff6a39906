package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Database;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak, short: a minute per database with a retention of 20 s (the full run: {@code
 * harness/run.sh soak}, 30 minutes each). Disk and RSS stay within 1.5x of their value after the
 * first retention period, the retained messages stay about what 20 s bring, and a large deletion
 * completes.
 */
class SoakIT {

  static void check(Soak.Result result) {
    System.out.println(Soak.table(result));
    assertTrue(result.flat(), "disk and RSS within 1.5x of the first retention period");
    long bound = (long) (result.rate() * (result.retention().toSeconds() + 5));
    for (Soak.Sample sample : result.after()) {
      assertTrue(sample.retained() <= bound, sample + " retains more than 20 s of messages");
    }
    assertTrue(result.produced() > result.rate() * 50L, "the producer kept its pace: " + result);
  }

  @Test
  void diskAndMemoryStayFlatOnH2() throws Exception {
    check(new Soak(Database.h2(), Duration.ofMinutes(1), Duration.ofSeconds(20), 1_000).run());
  }

  @Test
  void diskAndMemoryStayFlatOnPostgresql() throws Exception {
    check(
        new Soak(Database.postgresql(), Duration.ofMinutes(1), Duration.ofSeconds(20), 1_000)
            .run());
  }
}
