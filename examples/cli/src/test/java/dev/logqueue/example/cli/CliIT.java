package dev.logqueue.example.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Course;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The packaged command line (java -jar logqueue-cli.jar) against a broker. */
class CliIT {

  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  record Run(int status, List<String> out, List<String> err) {
    String all() {
      return String.join("\n", out) + "\n" + String.join("\n", err);
    }
  }

  Run cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", "target/logqueue-cli.jar"));
    command.addAll(List.of(args));
    Path scratch = Layout.scratch("cli");
    Path output = scratch.resolve("out.txt");
    Path errors = scratch.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(errors.toFile())
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the CLI hung");
    }
    return new Run(
        process.exitValue(),
        Files.readAllLines(output, StandardCharsets.UTF_8),
        Files.readAllLines(errors, StandardCharsets.UTF_8));
  }

  @Test
  void producesALogFileByTopicColumnAndConsumesItBack() throws Exception {
    broker = Broker.on(Database.h2()).start();
    String url = broker.uri().toString();
    Path file = Layout.scratch("cli").resolve("producer_2.txt");
    List<String> lines = Course.lines("P2").stream().map(Course.Line::text).toList();
    Files.write(file, lines, StandardCharsets.UTF_8);

    double requestsBefore =
        new Wire(broker.uri()).metrics().get("logqueue_committed_requests_total");
    Run produced = cli("produce", "--broker", url, "--topic-column", file.toString());
    assertEquals(0, produced.status(), produced::all);
    assertEquals(List.of("sent " + lines.size() + " messages"), produced.out());
    double requests =
        new Wire(broker.uri()).metrics().get("logqueue_committed_requests_total") - requestsBefore;
    assertTrue(
        requests < 20, lines.size() + " lines sent in batches, not one request each: " + requests);

    Run first = cli("consume", "--broker", url, "--topic", "T-1", "--max", "3");
    assertEquals(3, first.out().size(), first::all);

    Run consumed = cli("consume", "--broker", url, "--topic", "T-1", "--topic", "T-3");
    assertEquals(0, consumed.status(), consumed::all);
    assertEquals(lines.size(), consumed.out().size());
    for (String topic : List.of("T-1", "T-3")) {
      List<String> expected = lines.stream().filter(l -> l.endsWith(topic)).toList();
      List<String> got =
          consumed.out().stream()
              .filter(l -> l.startsWith(topic + "\t"))
              .map(l -> l.substring(topic.length() + 1))
              .toList();
      assertEquals(expected, got, "every line of " + topic + ", in order");
    }
  }

  @Test
  void refusalsAndBadUsageSayWhatIsWrong() throws Exception {
    broker = Broker.on(Database.h2()).start();
    String url = broker.uri().toString();
    Run missing = cli("consume", "--broker", url, "--topic", "nope");
    assertEquals(1, missing.status());
    assertTrue(missing.all().contains("topic_not_found"), missing::all);

    Run help = cli("--help");
    assertEquals(0, help.status(), help::all);
    assertTrue(help.out().get(0).startsWith("usage: "), help::all);
    assertEquals(List.of(), help.err());

    Run unknown = cli("consume", "--topc", "t");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().get(0).contains("unknown option --topc"), unknown::all);
    assertEquals(2, cli("produce", "--topic", "t").status(), "no file");
    assertEquals(2, cli("frobnicate").status());
    assertEquals(2, cli("consume", "--topic", "t", "--max", "0").status());

    Run noFile = cli("produce", "--broker", url, "--topic", "t", "no-such.txt");
    assertEquals(1, noFile.status());
    assertTrue(noFile.err().get(0).contains("no such file: no-such.txt"), noFile::all);

    Path one = Layout.scratch("cli").resolve("one.txt");
    Files.writeString(one, "just one\n");
    Run single = cli("produce", "--broker", url, "--topic", "t", one.toString());
    assertEquals(List.of("sent 1 message"), single.out(), single::all);
  }
}
