package dev.logqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Course;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Eventually;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.TlsFiles;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The packaged command line (java -jar logqueue-cli.jar) against a broker, as operators use it. */
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
    return cli(Map.of(), args);
  }

  Run cli(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", "target/logqueue-cli.jar"));
    command.addAll(List.of(args));
    Path scratch = Layout.scratch("cli");
    Path output = scratch.resolve("out.txt");
    Path errors = scratch.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
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

  private static JsonArray jsonArray(Run run) {
    return Json.createReader(new StringReader(String.join("\n", run.out()))).readArray();
  }

  private static JsonObject topicAnswer(Wire wire, String topic) {
    return wire.http().get("topics/" + topic).json();
  }

  @Test
  void anOperatorLooksAtTopicsAndConsumersAndChangesThem() throws Exception {
    broker = Broker.on(Database.h2()).start();
    String url = broker.uri().toString();
    Wire wire = new Wire(broker.uri());
    long producer = wire.registerProducer("orders");
    for (int i = 0; i < 30; i++) {
      wire.produce("orders", producer, "order " + i);
    }
    long caughtUp = wire.registerConsumer("orders");
    assertEquals(30, wire.consume("orders", caughtUp, 100).size());
    long behind = wire.registerConsumer("orders");
    assertEquals(5, wire.consume("orders", behind, 5).size()); // lag 25
    wire.createTopic("empty");

    Run topics = cli("topics", "--broker", url);
    assertEquals(0, topics.status(), topics::all);
    assertTrue(
        topics.out().get(0).matches("TOPIC +MESSAGES +BYTES +OLDEST +RETENTION .*MAX LAG"),
        topics::all);
    String orders =
        topics.out().stream().filter(l -> l.startsWith("orders ")).findFirst().orElseThrow();
    assertTrue(
        orders.matches("orders +30 +\\d+ B +\\d+(\\.\\d)? (ms|s) +forever +1 +2 +25"), orders);
    assertTrue(
        topics.out().stream().anyMatch(l -> l.matches("empty +0 +0 B +- +forever +0 +0 +0")),
        topics::all);

    JsonArray all = jsonArray(cli("topics", "--json", "--broker", url));
    assertEquals(
        List.of("orders", "empty"),
        all.getValuesAs(JsonObject.class).stream().map(t -> t.getString("name")).toList());
    assertEquals(30, all.getJsonObject(0).getInt("messages"));

    Run topic = cli("topic", "orders", "--broker", url);
    assertEquals(0, topic.status(), topic::all);
    assertTrue(topic.all().contains("offsets    0 to 29 (30 messages"), topic::all);
    assertTrue(topic.all().contains("retention  forever"), topic::all);

    Run consumers = cli("consumers", "orders", "--broker", url);
    assertEquals(0, consumers.status(), consumers::all);
    assertTrue(consumers.out().get(0).trim().startsWith("ID  NAME  ACK"), consumers::all);
    assertTrue(
        consumers.out().get(1).trim().startsWith(behind + "  -     auto"),
        "furthest behind first: " + consumers.all());
    JsonArray byLag = jsonArray(cli("consumers", "orders", "--json", "--broker", url));
    assertEquals(
        List.of(25, 0),
        byLag.getValuesAs(JsonObject.class).stream().map(c -> c.getInt("lag")).toList());

    Run created =
        cli("create", "audit", "--retention", "7d", "--retention-bytes", "1GiB", "--broker", url);
    assertEquals(List.of("created audit, keeps 7 d, 1.0 GiB"), created.out(), created::all);
    JsonObject audit = topicAnswer(wire, "audit").getJsonObject("topic");
    assertEquals(604_800_000L, audit.getJsonNumber("retention_ms").longValue());
    assertEquals(1L << 30, audit.getJsonNumber("retention_bytes").longValue());
    Run changed = cli("retention", "audit", "--retention-bytes", "0", "--broker", url);
    assertEquals(
        List.of("audit keeps 7 d"), changed.out(), "the age stays as it was: " + changed.all());
    Run again = cli("create", "audit", "--broker", url);
    assertEquals(1, again.status());
    assertTrue(again.err().get(0).contains("(topic_exists)"), again::all);
    assertEquals(List.of("deleted audit"), cli("delete", "audit", "--broker", url).out());
    assertEquals(404, wire.http().get("topics/audit").status());

    Run deleted = cli("delete-consumer", "orders", Long.toString(behind), "--broker", url);
    assertEquals(0, deleted.status(), deleted::all);
    assertEquals(
        1, topicAnswer(wire, "orders").getJsonObject("topic").getJsonArray("consumers").size());

    Run missing = cli("topic", "nope", "--broker", url);
    assertEquals(1, missing.status());
    assertTrue(missing.err().get(0).contains("(topic_not_found)"), missing::all);
    assertEquals(
        3,
        cli("topics", "--broker", "http://127.0.0.1:" + dev.logqueue.testkit.Ports.free()).status(),
        "unreachable");
    assertEquals(2, cli("topic").status(), "no name");
    assertEquals(2, cli("create", "x", "--retention", "7 parsecs").status());
    assertEquals(2, cli("retention", "orders").status(), "nothing to change");
    assertEquals(2, cli("tail", "-n", "5000", "orders").status());
    assertEquals(2, cli("delete-consumer", "orders", "first").status());
  }

  @Test
  void tailShowsTheLastMessagesThenFollowsAndLeavesNoConsumerBehind() throws Exception {
    broker = Broker.on(Database.h2()).start();
    String url = broker.uri().toString();
    Wire wire = new Wire(broker.uri());
    long producer = wire.registerProducer("logs");
    for (int i = 0; i < 12; i++) {
      wire.produce("logs", producer, "line " + i);
    }
    assertEquals(
        List.of("line 9", "line 10", "line 11"),
        cli("tail", "-n", "3", "logs", "--broker", url).out());
    Run json = cli("tail", "-n", "2", "--json", "logs", "--broker", url);
    JsonObject first = Json.createReader(new StringReader(json.out().get(0))).readObject();
    assertEquals(10, first.getInt("offset"));
    assertEquals("line 10", first.getString("message"));
    assertTrue(first.getJsonNumber("timestamp").longValue() > 0);
    assertEquals(10, cli("tail", "logs", "--broker", url).out().size(), "10 by default");

    Process follow =
        new ProcessBuilder(
                "java",
                "-jar",
                "target/logqueue-cli.jar",
                "tail",
                "-f",
                "-n",
                "1",
                "--json",
                "logs",
                "--broker",
                url)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
      assertTrue(lines.readLine().contains("\"offset\":11"));
      Eventually.eventually(
          "the temporary consumer is registered",
          Duration.ofSeconds(30),
          () ->
              topicAnswer(wire, "logs").getJsonObject("topic").getJsonArray("consumers").size()
                  == 1);
      wire.produce("logs", producer, "line 12");
      wire.produce("logs", producer, "line 13");
      JsonObject next = Json.createReader(new StringReader(lines.readLine())).readObject();
      assertEquals(12, next.getInt("offset"), "right after what it showed, nothing skipped");
      assertEquals("line 12", next.getString("message"));
      assertTrue(lines.readLine().contains("\"line 13\""));
      follow.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hooks run
      assertTrue(follow.waitFor(30, TimeUnit.SECONDS), "tail -f ends when told");
    } finally {
      follow.destroyForcibly();
    }
    assertEquals(
        List.of(),
        topicAnswer(wire, "logs").getJsonObject("topic").getJsonArray("consumers"),
        "its temporary consumer deleted on exit");
  }

  @Test
  void tokensMadeByTheCommandLineOpenABrokerOverHttps() throws Exception {
    Path keys = Layout.scratch("cli-keys");
    Run made = cli("token", "keys", "--out", keys.toString());
    assertEquals(0, made.status(), made::all);
    assertTrue(Files.isRegularFile(keys.resolve("private.pem")));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(keys.resolve("private.pem"))));
    Run admin =
        cli(
            "token",
            "create",
            "--key",
            keys.resolve("private.pem").toString(),
            "--sub",
            "ops",
            "--role",
            "admin",
            "--ttl",
            "1h");
    assertEquals(0, admin.status(), admin::all);
    String token = admin.out().get(0);
    Run producer =
        cli(
            "token",
            "create",
            "--key",
            keys.resolve("private.pem").toString(),
            "--sub",
            "shop",
            "--role",
            "producer",
            "--topics",
            "orders.*,audit");
    String producing = producer.out().get(0);
    assertEquals(
        2,
        cli("token", "create", "--key", keys.resolve("private.pem").toString(), "--sub", "x")
            .status(),
        "no role");
    assertEquals(
        2,
        cli(
                "token",
                "create",
                "--key",
                keys.resolve("private.pem").toString(),
                "--sub",
                "x",
                "--role",
                "king")
            .status());

    TlsFiles tls = TlsFiles.generate(Layout.scratch("cli-tls"));
    broker =
        Broker.on(Database.h2())
            .setting("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.resolve("public.pem").toString())
            .tls(tls)
            .start();
    String url = broker.uri().toString();
    Map<String, String> trust = Map.of("LOGQUEUE_TRUSTSTORE_PASSWORD", tls.password());
    String store = tls.truststore().toString();
    Run created =
        cli(trust, "create", "orders.eu", "--broker", url, "--token", token, "--truststore", store);
    assertEquals(List.of("created orders.eu, keeps forever"), created.out(), created::all);
    Run anonymous = cli(trust, "topics", "--broker", url, "--truststore", store);
    assertEquals(1, anonymous.status(), anonymous::all);
    assertTrue(anonymous.err().get(0).contains("(unauthorized)"), anonymous::all);
    Run forbidden =
        cli(
            trust,
            "delete",
            "orders.eu",
            "--broker",
            url,
            "--token",
            producing,
            "--truststore",
            store);
    assertEquals(1, forbidden.status(), forbidden::all);
    assertTrue(forbidden.err().get(0).contains("(forbidden)"), forbidden::all);
    Map<String, String> environment = new java.util.HashMap<>(trust);
    environment.put("LOGQUEUE_TOKEN", producing);
    environment.put("LOGQUEUE_TRUSTSTORE", store);
    Path lines = Layout.scratch("cli").resolve("lines.txt");
    Files.writeString(lines, "a\nb\n");
    Run sent =
        cli(environment, "produce", "--topic", "orders.eu", lines.toString(), "--broker", url);
    assertEquals(List.of("sent 2 messages"), sent.out(), sent::all);
    Run untrusted = cli("topics", "--broker", url, "--token", token);
    assertEquals(3, untrusted.status(), "a certificate it does not trust: " + untrusted.all());
  }
}
