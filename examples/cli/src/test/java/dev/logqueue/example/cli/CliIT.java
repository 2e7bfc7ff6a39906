package dev.logqueue.example.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Course;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Layout;
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

  record Run(int status, List<String> out) {}

  Run cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", "target/logqueue-cli.jar"));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(Layout.scratch("cli"), "out", ".txt");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the CLI hung");
    }
    return new Run(process.exitValue(), Files.readAllLines(output, StandardCharsets.UTF_8));
  }

  @Test
  void producesALogFileByTopicColumnAndConsumesItBack() throws Exception {
    broker = Broker.on(Database.h2()).start();
    String url = broker.uri().toString();
    Path file = Layout.scratch("cli").resolve("producer_2.txt");
    List<String> lines = Course.lines("P2").stream().map(Course.Line::text).toList();
    Files.write(file, lines, StandardCharsets.UTF_8);

    Run produced = cli("produce", "--broker", url, "--topic-column", file.toString());
    assertEquals(0, produced.status(), produced.out()::toString);
    assertEquals(List.of("sent " + lines.size() + " messages"), produced.out());

    Run consumed = cli("consume", "--broker", url, "--topic", "T-1", "--topic", "T-3");
    assertEquals(0, consumed.status(), consumed.out()::toString);
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
    Run missing = cli("consume", "--broker", broker.uri().toString(), "--topic", "nope");
    assertEquals(1, missing.status());
    assertTrue(
        String.join("\n", missing.out()).contains("topic_not_found"), missing.out()::toString);
    assertEquals(2, cli("produce", "--topic", "t").status(), "no file");
    assertEquals(2, cli("frobnicate").status());
  }
}
