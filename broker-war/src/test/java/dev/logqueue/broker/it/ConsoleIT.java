package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.Tokens;
import dev.logqueue.testkit.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real browser: Debian's headless Chromium, driven by Playwright
 * (src/test/console/console.spec.mjs), against a broker with a topic, its messages and three
 * consumers at different lags. The console is the same whatever the database: this runs on H2 only
 * (the PostgreSQL run of the suite leaves it out).
 */
class ConsoleIT {

  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  private static final String TOPIC = "console-orders";

  @Test
  void anOperatorSeesTopicsConsumersAndMessagesAndChangesTopics() throws Exception {
    Path tests = playwright();
    Path screenshots = Layout.root().resolve("broker-war/target/console-screenshots");

    try (Broker broker = Broker.on(Database.h2()).start()) {
      Wire wire = new Wire(broker.uri());
      Http http = wire.http();
      long producer = wire.registerProducer(TOPIC);
      for (int i = 0; i < 25; i++) {
        wire.produce(TOPIC, producer, "order " + i + " paid");
      }
      long caughtUp = wire.registerConsumer(TOPIC);
      assertEquals(25, wire.consume(TOPIC, caughtUp, 100).size());
      long behind = wire.registerConsumer(TOPIC); // has read nothing: lag 25
      long explicit =
          http.post(
                  "consumer/register",
                  Http.json("topic", TOPIC, "name", "billing", "ack", "explicit"))
              .json()
              .getJsonNumber("consumer_id")
              .longValueExact();
      Http.Reply leased =
          http.post(
              "consumer/consume", Http.json("topic", TOPIC, "consumer_id", explicit, "max", 13));
      assertEquals(13, leased.json().getJsonArray("records").size(), leased::toString);
      Http.Reply acked =
          http.post(
              "consumer/ack", Http.json("topic", TOPIC, "consumer_id", explicit, "ack_until", 10));
      assertEquals(200, acked.status(), acked::toString); // lag 15, 3 leased

      String output =
          node(
              tests,
              "console.spec.mjs",
              Map.of(
                  "LOGQUEUE_URL", broker.uri().toString(),
                  "TOPIC", TOPIC,
                  "LAGGING", Long.toString(behind),
                  "SCREENSHOTS", screenshots.toString()));
      assertTrue(output.contains("console: all checks passed"), output);
    }
  }

  @Test
  void withTokensTheConsoleAsksForOneAndKeepsItInTheTabOnly() throws Exception {
    Path tests = playwright();
    Tokens tokens = Tokens.generate(Layout.scratch("console-keys"));
    try (Broker broker = Broker.on(Database.h2()).settings(tokens.brokerSettings()).start()) {
      String admin = tokens.token("operator", List.of("admin"), List.of());
      Http http = new Http(broker.uri()).withToken(admin);
      assertEquals(200, http.post("topics", Http.json("name", "guarded")).status());
      String output =
          node(
              tests,
              "console-auth.spec.mjs",
              Map.of("LOGQUEUE_URL", broker.uri().toString(), "TOKEN", admin, "TOPIC", "guarded"));
      assertTrue(output.contains("console with tokens: all checks passed"), output);
    }
  }

  /** Runs a browser script; its output, once it passed. */
  private static String node(Path tests, String script, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("node", script)
            .directory(tests.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tests.resolve(script + ".txt").toFile());
    builder.environment().putAll(environment);
    builder.environment().put("CHROMIUM", CHROMIUM.toString());
    Process node = builder.start();
    boolean ended = node.waitFor(3, TimeUnit.MINUTES);
    if (!ended) {
      node.destroyForcibly().waitFor();
    }
    String output = Files.readString(tests.resolve(script + ".txt"), StandardCharsets.UTF_8);
    System.getLogger(ConsoleIT.class.getName()).log(System.Logger.Level.INFO, output);
    assertTrue(ended, "the browser test did not end in 3 minutes:\n" + output);
    assertEquals(0, node.exitValue(), output);
    return output;
  }

  /**
   * The browser test's folder under target, with playwright-core from npm (package-lock.json);
   * installed once, kept by later builds until the lock changes.
   */
  private static Path playwright() throws IOException, InterruptedException {
    assertTrue(
        Files.isExecutable(CHROMIUM),
        CHROMIUM
            + " is missing: the console's test needs Debian's chromium (apt-get install chromium;"
            + " .ci/run installs it), or CHROMIUM set to another Chromium");
    Path source = Layout.root().resolve("broker-war/src/test/console");
    Path folder = Files.createDirectories(Layout.root().resolve("broker-war/target/console-test"));
    for (String file :
        List.of("package.json", "package-lock.json", "console.spec.mjs", "console-auth.spec.mjs")) {
      Files.copy(source.resolve(file), folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path installed = folder.resolve("node_modules/.package-lock.json");
    if (!Files.exists(installed)
        || Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(source.resolve("package-lock.json")))
            < 0) {
      run(folder, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }
    return folder;
  }

  private static String run(Path folder, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }
}
