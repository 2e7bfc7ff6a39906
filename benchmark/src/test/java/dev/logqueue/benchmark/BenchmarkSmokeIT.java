package dev.logqueue.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark with small counts, on both databases, so that it keeps working: it checks that
 * every measure ran and was written, not how fast anything was.
 */
class BenchmarkSmokeIT {

  @Test
  void theBenchmarkRunsAndWritesItsTableAndChart() throws Exception {
    Path out = Path.of(System.getProperty("benchmark.out"));
    Benchmark.Options options = Benchmark.Options.parse("--smoke", "--out", out.toString());
    List<Benchmark.Outcome> outcomes = new Benchmark(options).run();
    Report.write(outcomes, options);

    assertEquals(2, outcomes.size());
    for (Benchmark.Outcome outcome : outcomes) {
      assertTrue(outcome.status().requests() > 0, outcome.database() + " status");
      assertTrue(outcome.produce().requests() > 0, outcome.database() + " produce");
      assertTrue(outcome.consume().requests() > 0, outcome.database() + " consume");
      assertTrue(outcome.batch().requests() > 0, outcome.database() + " batch");
      assertTrue(outcome.raw().best() > 0, outcome.database() + " raw JDBC");
      assertTrue(outcome.sdk().messagesPerSecond() > 0, outcome.database() + " SDK producer");
      assertTrue(outcome.commitTimes().p99() > 0, outcome.database() + " commit durations");
      assertEquals(Benchmark.LATENCY_CONNECTIONS.size(), outcome.produceLatency().size());
      assertEquals(RabbitPeer.answers(), outcome.peer().ran(), "the peer runs when it answers");
      assertTrue(outcome.rssStartKb() > 0 && outcome.rssEndKb() > 0);
      assertTrue(outcome.readyEmptyMs() > 0 && outcome.readyFullMs() > 0);
      assertEquals(0, outcome.failures(), outcome.database() + ": no request failed");
    }
    String markdown = Files.readString(out.resolve("benchmark.md"));
    assertTrue(markdown.contains("| produce / status |"), markdown);
    assertTrue(markdown.contains("| SDK producer / RabbitMQ quorum |"), markdown);
    assertTrue(Files.size(out.resolve("benchmark.png")) > 10_000);
  }
}
