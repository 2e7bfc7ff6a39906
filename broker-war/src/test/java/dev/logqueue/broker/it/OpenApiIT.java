package dev.logqueue.broker.it;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logqueue.broker.it.OpenApiDocument.Operation;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Eventually;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.Tokens;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /openapi as the broker serves it, checked three ways: against the wire contract (each path and
 * method, each request field and alias, each answer field, each error code under its HTTP status);
 * against the broker's real answers (a request of every kind and every error the contract has, each
 * answer validated against the document's schema for its operation and status); and against the
 * README (each example request and answer validated). The document is the same whatever the
 * database: this runs on H2 only.
 */
class OpenApiIT {

  private static final System.Logger LOG = System.getLogger(OpenApiIT.class.getName());

  /** The contract's error codes and their HTTP status (DESIGN.md). */
  static final Map<String, Integer> CODES =
      Map.ofEntries(
          entry("bad_request", 400),
          entry("topic_exists", 409),
          entry("topic_not_found", 404),
          entry("producer_not_found", 404),
          entry("consumer_not_found", 404),
          entry("producer_topic_mismatch", 403),
          entry("consumer_topic_mismatch", 403),
          entry("queue_empty", 404),
          entry("message_too_large", 413),
          entry("unavailable", 503),
          entry("consumer_exists", 409),
          entry("not_delivered", 409),
          entry("lease_expired", 409),
          entry("not_explicit", 409),
          entry("unauthorized", 401),
          entry("forbidden", 403));

  /** An operation of the contract: what it takes, what it answers, which errors it may give. */
  record Contract(String operation, String request, String answer, String errors) {
    Operation op() {
      String[] parts = operation.split(" ");
      return new Operation(parts[0].toLowerCase(), parts[1]);
    }

    static Set<String> words(String text) {
      return text.isBlank() ? Set.of() : new TreeSet<>(List.of(text.trim().split("\\s+")));
    }
  }

  private static final String TOPIC_FIELDS =
      "name start_offset end_offset messages bytes oldest_timestamp retention_ms"
          + " retention_bytes producers consumers consumer_id ack offset lag lag_ms leased acked"
          + " redelivered dead_lettered";
  private static final String CONSUMED =
      "status message log_message messages records lease_until skipped offset timestamp delivery"
          + " origin";
  private static final String CONSUMER_ERRORS =
      "bad_request topic_not_found consumer_not_found consumer_topic_mismatch";
  private static final String ACK_FIELDS = "offsets ack_until release extend reject delay_ms";

  static final List<Contract> CONTRACT =
      List.of(
          new Contract("GET /status", "", "status", ""),
          new Contract(
              "POST /topics",
              "name topic_name retention_ms retention_bytes",
              "status message",
              "bad_request topic_exists message_too_large unavailable"),
          new Contract(
              "GET /topics", "details", "status topics details " + TOPIC_FIELDS, "bad_request"),
          new Contract(
              "GET /topics/{name}",
              "name",
              "status " + TOPIC_FIELDS,
              "bad_request topic_not_found"),
          new Contract(
              "PUT /topics/{name}",
              "name retention_ms retention_bytes",
              "status topic " + TOPIC_FIELDS,
              "bad_request topic_not_found unavailable"),
          new Contract("DELETE /topics/{name}", "name", "status", "topic_not_found unavailable"),
          new Contract(
              "GET /topics/{name}/messages",
              "name offset timestamp max",
              "status start_offset end_offset records offset message timestamp origin topic deliveries",
              "bad_request topic_not_found"),
          new Contract(
              "DELETE /topics/{name}/consumers/{id}",
              "name id",
              "status",
              "topic_not_found consumer_not_found consumer_topic_mismatch unavailable"),
          new Contract(
              "POST /producer/register",
              "topic topic_name",
              "status producer_id",
              "bad_request unavailable"),
          new Contract(
              "POST /producer/produce",
              "topic topic_name producer_id message log_message message_id messages message_ids",
              "status offset duplicate appended offsets duplicates",
              "bad_request topic_not_found producer_not_found producer_topic_mismatch"
                  + " message_too_large unavailable"),
          new Contract(
              "POST /consumer/register",
              "topic topic_name name start ack lease_ms max_deliveries dead_letter_topic",
              "status consumer_id name existing ack lease_ms max_deliveries dead_letter_topic offset",
              "bad_request topic_not_found consumer_exists unavailable"),
          new Contract(
              "GET /consumer/consume",
              "topic topic_name consumer_id max wait_ms",
              CONSUMED,
              CONSUMER_ERRORS + " queue_empty unavailable"),
          new Contract(
              "POST /consumer/consume",
              "topic topic_name consumer_id max wait_ms " + ACK_FIELDS,
              CONSUMED,
              CONSUMER_ERRORS
                  + " queue_empty not_delivered lease_expired not_explicit unavailable"),
          new Contract(
              "POST /consumer/ack",
              "topic topic_name consumer_id " + ACK_FIELDS,
              "status acked released extended rejected",
              CONSUMER_ERRORS + " not_delivered lease_expired not_explicit unavailable"),
          new Contract(
              "POST /consumer/seek",
              "topic topic_name consumer_id offset timestamp",
              "status offset",
              CONSUMER_ERRORS + " unavailable"),
          new Contract("GET /size", "topic topic_name consumer_id", "status size", CONSUMER_ERRORS),
          new Contract(
              "POST /size", "topic topic_name consumer_id", "status size", CONSUMER_ERRORS));

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  static Broker broker;
  static OpenApiDocument document;
  static Tokens tokens;

  /** The token a call sends; null for none. */
  private String token;

  @BeforeAll
  static void start() throws Exception {
    tokens = Tokens.generate(Layout.scratch("openapi-keys"));
    broker =
        Broker.on(Database.h2())
            .settings(tokens.brokerSettings())
            .setting("LOGQUEUE_RETENTION_CHECK_MS", 200)
            .start();
    HttpResponse<String> served =
        CLIENT.send(
            HttpRequest.newBuilder(broker.uri().resolve("openapi"))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + admin())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, served.statusCode(), served::body);
    document = new OpenApiDocument(served.body());
  }

  @AfterAll
  static void stop() {
    broker.stop();
  }

  @Test
  void theServedDocumentDescribesTheContractAndNothingElse() {
    int checked = 0;
    List<String> wrong = new ArrayList<>();
    Set<Operation> expected = CONTRACT.stream().map(Contract::op).collect(Collectors.toSet());
    assertEquals(
        new TreeSet<>(expected.stream().map(Operation::toString).toList()),
        new TreeSet<>(document.operations().stream().map(Operation::toString).toList()),
        "the document's operations are the contract's");
    checked += expected.size();
    for (Contract contract : CONTRACT) {
      Operation op = contract.op();
      Set<String> takes = document.requestFields(op);
      for (String field : Contract.words(contract.request())) {
        checked++;
        if (!takes.contains(field)) {
          wrong.add(op + " does not take '" + field + "' (takes " + takes + ")");
        }
      }
      Set<String> answers = document.answerFields(op);
      for (String field : Contract.words(contract.answer())) {
        checked++;
        if (!answers.contains(field)) {
          wrong.add(op + " does not answer '" + field + "' (answers " + answers + ")");
        }
      }
      Map<String, Integer> errors = document.errors(op);
      Set<String> expectedErrors = new TreeSet<>(Contract.words(contract.errors()));
      if (!op.path().equals("/status")) {
        expectedErrors.addAll(Set.of("unauthorized", "forbidden")); // with authentication on
      }
      for (String error : expectedErrors) {
        checked++;
        if (!CODES.get(error).equals(errors.get(error))) {
          wrong.add(
              op
                  + " lists '"
                  + error
                  + "' under "
                  + errors.get(error)
                  + ", not "
                  + CODES.get(error));
        }
      }
      errors.forEach(
          (error, status) -> {
            if (!status.equals(CODES.get(error))) {
              wrong.add(op + " lists '" + error + "' under " + status);
            }
          });
    }
    String description = document.root().path("info").path("description").asText();
    for (String general :
        List.of(
            "not_found",
            "method_not_allowed",
            "not_acceptable",
            "unavailable",
            "Retry-After",
            "topic_name",
            "log_message",
            "unauthorized",
            "forbidden",
            "Authorization: Bearer <token>")) {
      checked++;
      if (!description.contains("`" + general + "`")) {
        wrong.add("the description does not say `" + general + "`");
      }
    }
    assertEquals(List.of(), wrong);
    LOG.log(System.Logger.Level.INFO, "OpenAPI against the contract: {0} items checked", checked);

    // the validation below is not vacuous: answers the contract does not allow are refused
    String produced =
        document.answerSchema(new Operation("post", "/producer/produce"), 200).orElseThrow();
    for (String bad :
        List.of(
            "{\"status\":\"success\",\"offset\":-1}",
            "{\"status\":\"success\",\"offset\":3,\"surprise\":true}",
            "{\"status\":\"failure\",\"offset\":3}",
            "{\"status\":\"success\",\"offset\":3,\"offsets\":[3],\"appended\":1,\"duplicates\":0}")) {
      assertTrue(!document.validate(produced, json(bad)).isEmpty(), bad + " is refused");
    }
    String topic = document.answerSchema(new Operation("get", "/topics/{name}"), 404).orElseThrow();
    assertTrue(
        !document
            .validate(
                topic, json("{\"status\":\"failure\",\"message\":\"m\",\"error\":\"queue_empty\"}"))
            .isEmpty(),
        "an error code not listed for the status is refused");
  }

  /**
   * Every answer the broker gives, validated against the document; the statuses seen, by operation.
   */
  private final Map<String, Set<Integer>> seen = new TreeMap<>();

  private final Set<String> errorsSeen = new TreeSet<>();
  private final List<String> invalid = new ArrayList<>();
  private int validated;

  private JsonNode call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(broker.uri().resolve(path.substring(1)))
            .timeout(Duration.ofSeconds(30));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Operation op =
        document
            .match(method, path)
            .orElseThrow(() -> new AssertionError("no operation for " + method + " " + path));
    JsonNode answer = OpenApiDocument.JSON.readTree(response.body());
    seen.computeIfAbsent(op.toString(), o -> new TreeSet<>()).add(response.statusCode());
    if (answer.has("error")) {
      errorsSeen.add(answer.get("error").asText());
    }
    Optional<String> schema = document.answerSchema(op, response.statusCode());
    if (schema.isEmpty()) {
      invalid.add(op + " has no answer " + response.statusCode() + ": " + response.body());
    } else {
      validated++;
      var errors = document.validate(schema.get(), answer);
      if (!errors.isEmpty()) {
        invalid.add(op + " " + response.statusCode() + " " + response.body() + ": " + errors);
      }
    }
    if (body != null && response.statusCode() == 200) {
      document
          .requestSchema(op)
          .ifPresent(
              request1 -> {
                try {
                  var errors = document.validate(request1, OpenApiDocument.JSON.readTree(body));
                  validated++;
                  if (!errors.isEmpty()) {
                    invalid.add(op + " request " + body + ": " + errors);
                  }
                } catch (IOException e) {
                  invalid.add(op + " request not JSON: " + body);
                }
              });
    }
    return answer;
  }

  private long retained(String topic) {
    try {
      return call("GET", "/topics/" + topic, null).path("topic").path("messages").asLong();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long id(JsonNode answer, String field) {
    assertTrue(answer.has(field), () -> "no " + field + " in " + answer);
    return answer.get(field).asLong();
  }

  static String admin() {
    return tokens.token("openapi", List.of("admin"), List.of());
  }

  @Test
  void everyAnswerOfTheBrokerConformsToTheDocument() throws Exception {
    call("GET", "/status", null);
    call("GET", "/topics", null); // unauthorized
    token = tokens.token("reader", List.of("consumer"), List.of("oa*"));
    call("GET", "/topics/elsewhere", null); // forbidden
    token = admin();
    call("POST", "/topics", "{\"name\":\"oa\"}");
    call("POST", "/topics", "{\"name\":\"oa\"}"); // topic_exists
    call("POST", "/topics", "{\"name\":\"not a name\"}"); // bad_request
    call(
        "POST",
        "/topics",
        "{\"topic_name\":\"oa-other\",\"retention_ms\":60000,\"retention_bytes\":null}");
    call("GET", "/topics", null);
    call("GET", "/topics?details=true", null);
    call("GET", "/topics?details=maybe", null);

    long producer = id(call("POST", "/producer/register", "{\"topic\":\"oa\"}"), "producer_id");
    call("POST", "/producer/register", "{\"topic_name\":\"oa-other\"}");
    String single =
        "{\"topic\":\"oa\",\"producer_id\":"
            + producer
            + ",\"message\":\"m0\",\"message_id\":\"m-0\"}";
    call("POST", "/producer/produce", single);
    call("POST", "/producer/produce", single); // duplicate
    call(
        "POST",
        "/producer/produce",
        "{\"topic_name\":\"oa\",\"producer_id\":\"" + producer + "\",\"log_message\":\"m1\"}");
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa\",\"producer_id\":"
            + producer
            + ",\"messages\":[\"m2\",\"m3\",\"m4\",\"m5\"],\"message_ids\":[\"m-2\",\"m-3\",\"m-4\",\"m-5\"]}");
    call(
        "POST", "/producer/produce", "{\"topic\":\"oa\",\"producer_id\":999999,\"message\":\"x\"}");
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa-other\",\"producer_id\":" + producer + ",\"message\":\"x\"}");
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa-none\",\"producer_id\":" + producer + ",\"message\":\"x\"}");
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa\",\"producer_id\":"
            + producer
            + ",\"message\":\""
            + "x".repeat((1 << 20) + 1)
            + "\"}");
    call("POST", "/producer/produce", "{\"topic\":\"oa\"");

    long auto = id(call("POST", "/consumer/register", "{\"topic\":\"oa\"}"), "consumer_id");
    call("POST", "/consumer/register", "{\"topic\":\"oa-none\"}");
    String explicitBody =
        "{\"topic\":\"oa\",\"name\":\"billing\",\"ack\":\"explicit\",\"lease_ms\":1000,"
            + "\"max_deliveries\":3,\"dead_letter_topic\":\"oa.dlq\",\"start\":\"earliest\"}";
    long explicit = id(call("POST", "/consumer/register", explicitBody), "consumer_id");
    call("POST", "/consumer/register", explicitBody); // existing
    call("POST", "/consumer/register", explicitBody.replace("1000", "2000")); // consumer_exists
    call("POST", "/consumer/register", "{\"topic\":\"oa\",\"start\":\"latest\"}");
    call("POST", "/consumer/register", "{\"topic\":\"oa\",\"start\":3}");

    call("GET", "/consumer/consume?topic=oa&consumer_id=" + auto, null);
    call("POST", "/consumer/consume", "{\"topic\":\"oa\",\"consumer_id\":" + auto + ",\"max\":2}");
    call("GET", "/consumer/consume?topic_name=oa&consumer_id=" + auto + "&max=100&wait_ms=0", null);
    call(
        "POST",
        "/consumer/consume",
        "{\"topic\":\"oa\",\"consumer_id\":" + auto + "}"); // queue_empty
    call("POST", "/consumer/consume", "{\"topic\":\"oa\",\"consumer_id\":999999}");
    call("POST", "/consumer/consume", "{\"topic\":\"oa-other\",\"consumer_id\":" + auto + "}");
    call("POST", "/consumer/consume", "{\"topic\":\"oa-none\",\"consumer_id\":" + auto + "}");
    call(
        "POST",
        "/consumer/ack",
        "{\"topic\":\"oa\",\"consumer_id\":" + auto + ",\"offsets\":[0]}"); // not_explicit

    call(
        "POST",
        "/consumer/consume",
        "{\"topic\":\"oa\",\"consumer_id\":" + explicit + ",\"max\":3}");
    call(
        "POST",
        "/consumer/ack",
        "{\"topic\":\"oa\",\"consumer_id\":"
            + explicit
            + ",\"offsets\":[0],\"extend\":[1],\"reject\":[2]}");
    call(
        "POST",
        "/consumer/ack",
        "{\"topic\":\"oa\",\"consumer_id\":" + explicit + ",\"offsets\":[5]}"); // not_delivered
    Thread.sleep(1300); // offset 1's lease (1 s) ends
    call(
        "POST",
        "/consumer/ack",
        "{\"topic\":\"oa\",\"consumer_id\":" + explicit + ",\"extend\":[1]}"); // lease_expired
    call(
        "POST",
        "/consumer/consume",
        "{\"topic\":\"oa\",\"consumer_id\":"
            + explicit
            + ",\"max\":10,\"ack_until\":2,\"release\":[],\"delay_ms\":0}");
    call(
        "POST",
        "/consumer/ack",
        "{\"topic\":\"oa\",\"consumer_id\":" + explicit + ",\"ack_until\":6}");

    long dead =
        id(
            call("POST", "/consumer/register", "{\"topic\":\"oa.dlq\",\"ack\":\"explicit\"}"),
            "consumer_id");
    call(
        "POST",
        "/consumer/consume",
        "{\"topic\":\"oa.dlq\",\"consumer_id\":" + dead + ",\"max\":10}"); // origin
    call("GET", "/topics/oa.dlq/messages", null); // origin

    call("GET", "/size?topic=oa&consumer_id=" + auto, null);
    call("POST", "/size", "{\"topic_name\":\"oa\",\"consumer_id\":" + explicit + "}");
    call("POST", "/size", "{\"topic\":\"oa\"}"); // bad_request
    call("POST", "/consumer/seek", "{\"topic\":\"oa\",\"consumer_id\":" + auto + ",\"offset\":1}");
    call(
        "POST",
        "/consumer/seek",
        "{\"topic\":\"oa\",\"consumer_id\":" + auto + ",\"timestamp\":0}");

    call("GET", "/topics/oa", null);
    call("GET", "/topics/oa-none", null);
    call("PUT", "/topics/oa", "{\"retention_bytes\":1073741824}");
    call("PUT", "/topics/oa", "{}");
    call("GET", "/topics/oa/messages?offset=1&max=2", null);
    call("GET", "/topics/oa/messages?timestamp=0", null);
    call("GET", "/topics/oa/messages?max=0", null);

    // retention overtakes a consumer: its next consume says how many it missed
    call("POST", "/topics", "{\"name\":\"oa-short\",\"retention_ms\":1000}");
    long shortProducer =
        id(call("POST", "/producer/register", "{\"topic\":\"oa-short\"}"), "producer_id");
    long late = id(call("POST", "/consumer/register", "{\"topic\":\"oa-short\"}"), "consumer_id");
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa-short\",\"producer_id\":"
            + shortProducer
            + ",\"messages\":[\"a\",\"b\"]}");
    Eventually.eventually(
        "retention deletes oa-short's messages",
        Duration.ofSeconds(20),
        () -> retained("oa-short") == 0);
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa-short\",\"producer_id\":" + shortProducer + ",\"message\":\"c\"}");
    JsonNode skipped =
        call("POST", "/consumer/consume", "{\"topic\":\"oa-short\",\"consumer_id\":" + late + "}");
    assertEquals(2, skipped.path("skipped").asLong(), skipped::toString);

    // a topic of several partitions: partition and key on produce, records and answers with theirs
    call("POST", "/topics", "{\"name\":\"oa-parts\",\"partitions\":3}");
    call("POST", "/topics", "{\"name\":\"oa-many\",\"partitions\":257}"); // bad_request
    long partsProducer =
        id(call("POST", "/producer/register", "{\"topic\":\"oa-parts\"}"), "producer_id");
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa-parts\",\"producer_id\":"
            + partsProducer
            + ",\"message\":\"k\",\"key\":\"alice\"}");
    call(
        "POST",
        "/producer/produce",
        "{\"topic\":\"oa-parts\",\"producer_id\":"
            + partsProducer
            + ",\"messages\":[\"p0\",\"p1\"],\"partition\":2}");
    long partsAuto =
        id(call("POST", "/consumer/register", "{\"topic\":\"oa-parts\"}"), "consumer_id");
    long partsExplicit =
        id(
            call(
                "POST",
                "/consumer/register",
                "{\"topic\":\"oa-parts\",\"ack\":\"explicit\",\"start\":\"earliest\"}"),
            "consumer_id");
    call(
        "POST",
        "/consumer/consume",
        "{\"topic\":\"oa-parts\",\"consumer_id\":" + partsAuto + ",\"max\":10}");
    call(
        "POST",
        "/consumer/consume",
        "{\"topic\":\"oa-parts\",\"consumer_id\":" + partsExplicit + ",\"max\":10}");
    call(
        "POST",
        "/consumer/ack",
        "{\"topic\":\"oa-parts\",\"consumer_id\":"
            + partsExplicit
            + ",\"partition\":2,\"offsets\":[0,1]}");
    call(
        "POST",
        "/consumer/seek",
        "{\"topic\":\"oa-parts\",\"consumer_id\":" + partsAuto + ",\"offset\":0}");
    call("GET", "/size?topic=oa-parts&consumer_id=" + partsAuto + "&partition=2", null);
    call("GET", "/topics/oa-parts?partition=2", null);
    call("GET", "/topics/oa-parts/messages?partition=2", null);
    call("DELETE", "/topics/oa-parts", null);

    call("DELETE", "/topics/oa-other/consumers/" + explicit, null); // consumer_topic_mismatch
    call("DELETE", "/topics/oa/consumers/999999", null);
    call("DELETE", "/topics/oa/consumers/" + auto, null);
    call("DELETE", "/topics/oa-other", null);
    call("DELETE", "/topics/oa-other", null);

    assertEquals(List.of(), invalid);
    Set<String> missing = new TreeSet<>(CODES.keySet());
    missing.removeAll(errorsSeen);
    assertEquals(
        Set.of("unavailable"), missing, "every error code but unavailable answered and checked");
    LOG.log(
        System.Logger.Level.INFO,
        "OpenAPI against the broker: {0} bodies validated; statuses by operation {1}",
        validated,
        seen);
  }

  /** `METHOD /path` in a table's first cell, the request in the second, the answer in the third. */
  private static final Pattern TABLE_ROW =
      Pattern.compile(
          "^\\| `(GET|POST|PUT|DELETE) (/[^`]*)` \\| (.*?) \\| (.*) \\|$", Pattern.MULTILINE);

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  /**
   * A curl line of the README, its body and the answer in its comment (here or on the next line).
   */
  private static final Pattern CURL =
      Pattern.compile(
          "^curl -s (?:-X (PUT|DELETE) )?'?localhost:8080(/[^' ]*)'?(?: -d '([^']*)')?\\s*(?:#\\s*(.*))?$",
          Pattern.MULTILINE);

  @Test
  void theReadmesExamplesConformToTheDocument() throws Exception {
    String readme = Files.readString(Layout.root().resolve("README.md"), StandardCharsets.UTF_8);
    List<String> wrong = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    Matcher row = TABLE_ROW.matcher(readme);
    while (row.find()) {
      Operation op = operation(row.group(1), row.group(2), wrong);
      if (op == null) {
        continue;
      }
      for (String code : codes(row.group(3))) {
        if (code.startsWith("{")) {
          checkBody(document.requestSchema(op), op + " request", code, wrong, counts);
        } else if (code.startsWith("?")) {
          for (String pair : code.substring(1).split("&")) {
            String name = pair.split("=")[0];
            counts.merge("query parameters", 1, Integer::sum);
            if (!document.requestFields(op).contains(name)) {
              wrong.add(op + " has no parameter " + name);
            }
          }
        }
      }
      for (String code : codes(row.group(4))) {
        if (code.startsWith("{\"status\"")) {
          checkBody(document.answerSchema(op, 200), op + " answer", code, wrong, counts);
        }
      }
    }
    List<String> lines = readme.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher curl = CURL.matcher(lines.get(i));
      if (!curl.matches() || curl.group(2).startsWith("/logqueue-example/")) {
        continue; // not the broker's: the example web application beside it
      }
      String method =
          curl.group(1) != null ? curl.group(1) : curl.group(3) != null ? "POST" : "GET";
      Operation op = operation(method, curl.group(2), wrong);
      if (op == null) {
        continue;
      }
      if (curl.group(3) != null) {
        checkBody(document.requestSchema(op), op + " curl request", curl.group(3), wrong, counts);
      }
      String answer = curl.group(4);
      if ((answer == null || answer.isBlank())
          && i + 1 < lines.size()
          && lines.get(i + 1).startsWith("# {")) {
        answer = lines.get(i + 1).substring(2);
      }
      if (answer != null && answer.startsWith("{\"status\"")) {
        checkBody(document.answerSchema(op, 200), op + " curl answer", answer, wrong, counts);
      }
    }
    assertEquals(List.of(), wrong);
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    assertTrue(total >= 40, "the README's examples were found: " + counts);
    LOG.log(System.Logger.Level.INFO, "OpenAPI against the README: {0}", counts);
  }

  private static JsonNode json(String text) {
    try {
      return OpenApiDocument.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Operation operation(String method, String path, List<String> wrong) {
    Optional<Operation> op = document.match(method, path.replaceAll("\\{[a-z_]+}", "x"));
    if (op.isEmpty()) {
      wrong.add("the README shows " + method + " " + path + ", which the document does not have");
    }
    return op.orElse(null);
  }

  private static List<String> codes(String cell) {
    List<String> codes = new ArrayList<>();
    Matcher code = CODE.matcher(cell);
    while (code.find()) {
      codes.add(code.group(1));
    }
    return codes;
  }

  private static void checkBody(
      Optional<String> schema,
      String what,
      String json,
      List<String> wrong,
      Map<String, Integer> counts) {
    if (schema.isEmpty()) {
      wrong.add(what + ": the document has no schema for " + json);
      return;
    }
    JsonNode body;
    try {
      body = OpenApiDocument.JSON.readTree(json);
    } catch (IOException e) {
      wrong.add(what + ": the README's example is not JSON: " + json);
      return;
    }
    var errors = document.validate(schema.get(), body);
    counts.merge(what.substring(what.indexOf(' ', what.indexOf(' ') + 1) + 1), 1, Integer::sum);
    if (!errors.isEmpty()) {
      wrong.add(what + " " + json + ": " + errors);
    }
  }
}
