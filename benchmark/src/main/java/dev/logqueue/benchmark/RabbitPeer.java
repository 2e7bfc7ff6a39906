package dev.logqueue.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer: RabbitMQ's own load generator, PerfTest ({@code com.rabbitmq:perf-test}), against the
 * RabbitMQ on 127.0.0.1:5672, in a process of its own: one producer publishing persistent 100-byte
 * messages with up to 128 confirms in flight, one consumer. Once with a classic durable queue, once
 * with a quorum queue (which fsyncs before it confirms, as LogQueue commits before it answers).
 */
final class RabbitPeer {

  private static final System.Logger LOG = System.getLogger(RabbitPeer.class.getName());

  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;
  static final int CONFIRMS = 128;

  /** A run's average publish rate and its confirm latency percentiles, in ms. */
  record Result(double messagesPerSecond, double confirmP50, double confirmP99) {}

  /** Both queues' results, or why there are none. */
  record Outcome(Result classic, Result quorum, String skipped) {
    static Outcome skipped(String why) {
      return new Outcome(null, null, why);
    }

    boolean ran() {
      return skipped == null;
    }

    double quorumRate() {
      return ran() ? quorum.messagesPerSecond() : Double.NaN;
    }
  }

  private static final Pattern RATE = Pattern.compile("sending rate avg: (\\d+) msg/s");
  private static final Pattern CONFIRM =
      Pattern.compile(
          "confirm latency min/median/75th/95th/99th (\\d+)/(\\d+)/(\\d+)/(\\d+)/(\\d+) µs");

  private RabbitPeer() {}

  static boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Both measures, each for {@code duration}; skipped, with a clear line, if RabbitMQ is not up.
   */
  static Outcome measure(Duration duration) {
    if (!answers()) {
      String why = "RabbitMQ does not answer on " + HOST + ":" + PORT;
      LOG.log(System.Logger.Level.INFO, "peer skipped: " + why);
      return Outcome.skipped(why);
    }
    Result classic = run(duration, false);
    LOG.log(System.Logger.Level.INFO, "  RabbitMQ classic durable queue " + classic);
    Result quorum = run(duration, true);
    LOG.log(System.Logger.Level.INFO, "  RabbitMQ quorum queue " + quorum);
    return new Outcome(classic, quorum, null);
  }

  private static Result run(Duration duration, boolean quorum) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("com.rabbitmq.perf.PerfTest");
    command.addAll(
        List.of(
            "-h",
            "amqp://guest:guest@" + HOST + ":" + PORT,
            "-x",
            "1",
            "-y",
            "1",
            "-s",
            "100",
            "-f",
            "persistent",
            "-c",
            Integer.toString(CONFIRMS),
            "-z",
            Long.toString(Math.max(1, duration.toSeconds()))));
    if (quorum) {
      // a quorum queue cannot be server-named: it needs a name (and stays, empty, afterwards)
      command.addAll(List.of("--quorum-queue", "-u", "logqueue-benchmark-quorum"));
    }
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("PerfTest did not end");
      }
      Matcher rate = RATE.matcher(output);
      Matcher confirm = CONFIRM.matcher(output);
      if (process.exitValue() != 0 || !rate.find() || !confirm.find()) {
        throw new IllegalStateException(
            "PerfTest failed (exit " + process.exitValue() + "):\n" + tail(output));
      }
      return new Result(
          Double.parseDouble(rate.group(1)),
          Long.parseLong(confirm.group(2)) / 1000.0,
          Long.parseLong(confirm.group(5)) / 1000.0);
    } catch (IOException e) {
      throw new IllegalStateException("Could not run PerfTest", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    StringBuilder tail = new StringBuilder();
    for (int i = Math.max(0, lines.length - 20); i < lines.length; i++) {
      tail.append(lines[i]).append('\n');
    }
    return tail.toString();
  }
}
