package dev.logqueue.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (github.com/wg/wrk, Debian package wrk) against one URL and reads its report. */
final class Wrk {

  private static final System.Logger LOG = System.getLogger(Wrk.class.getName());

  /** What one run measured: requests per second, latency percentiles in ms, failed answers. */
  record Result(double requestsPerSecond, double p50, double p99, long requests, long failures) {}

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern FAILED = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private final int threads;
  private final int connections;
  private final Path scripts;

  Wrk(int threads, int connections, Path scripts) {
    this.threads = threads;
    this.connections = connections;
    this.scripts = scripts;
  }

  /**
   * Makes sure wrk can run: if it is missing, installs it from Debian's packages (apt-get, which
   * needs root), the way the embedded PostgreSQL comes from Maven Central, so that a fresh machine
   * needs no set-up step of its own. Fails with the command to run where it cannot.
   */
  static void ensureInstalled() {
    if (installed()) {
      return;
    }
    LOG.log(
        System.Logger.Level.INFO, "wrk is missing; installing it from Debian's packages (apt-get)");
    if (!(apt("install", "-y", "-q", "wrk")
            || (apt("update", "-q") && apt("install", "-y", "-q", "wrk")))
        || !installed()) {
      throw new IllegalStateException(
          "wrk is not installed and could not be installed here: run apt-get install wrk");
    }
  }

  private static boolean installed() {
    return succeeds(List.of("wrk", "--version"), false);
  }

  private static boolean apt(String... arguments) {
    List<String> command = new ArrayList<>(List.of("apt-get"));
    command.addAll(List.of(arguments));
    return succeeds(command, true);
  }

  /** wrk --version exits with 1 though it ran: only its start counts when the exit is not asked. */
  private static boolean succeeds(List<String> command, boolean exitMatters) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  exitMatters ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return false;
      }
      return !exitMatters || process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A Lua script for wrk: POSTs the body, or one of the bodies in turn. */
  Path script(String name, List<String> bodies) {
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"POST\"\n");
    lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    lua.append("local bodies = {\n");
    for (String body : bodies) {
      lua.append("  [==[").append(body).append("]==],\n");
    }
    lua.append("}\n");
    lua.append("local n = math.random(#bodies)\n");
    lua.append("request = function()\n");
    lua.append("  n = n % #bodies + 1\n");
    lua.append("  return wrk.format(nil, nil, nil, bodies[n])\n");
    lua.append("end\n");
    try {
      Files.createDirectories(scripts);
      Path file = scripts.resolve(name + ".lua");
      Files.writeString(file, lua, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result run(URI url, Path script, Duration duration) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "wrk",
            "-t" + threads,
            "-c" + connections,
            "-d" + Math.max(1, duration.toSeconds()) + "s",
            "--timeout",
            "10s",
            "--latency"));
    if (script != null) {
      command.add("-s");
      command.add(script.toString());
    }
    command.add(url.toString());
    try {
      Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
      String report = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
        throw new IllegalStateException("wrk failed:\n" + report);
      }
      return parse(report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Result parse(String report) {
    long failures = find(FAILED, report).map(Long::parseLong).orElse(0L);
    Matcher errors = ERRORS.matcher(report);
    if (errors.find()) {
      for (int group = 1; group <= 4; group++) {
        failures += Long.parseLong(errors.group(group));
      }
    }
    return new Result(
        Double.parseDouble(
            find(RATE, report).orElseThrow(() -> new IllegalStateException("wrk said: " + report))),
        percentile(report, "50%"),
        percentile(report, "99%"),
        Long.parseLong(find(TOTAL, report).orElse("0")),
        failures);
  }

  private static double percentile(String report, String which) {
    Matcher m =
        Pattern.compile("\\s" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)").matcher(report);
    if (!m.find()) {
      return Double.NaN;
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }

  private static java.util.Optional<String> find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }
}
