package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens on a broker that asks for them: every role against every endpoint, on a topic its
 * token names, on one it does not (that exists, and that does not: the answers must not tell them
 * apart), and every kind of bad credential; then who owns what a token registered, across a
 * restart.
 */
class AuthIT {

  static final String OWN = "orders.eu";
  static final String OTHER = "secret";
  static final String ABSENT = "nothing.here";

  static Tokens tokens;
  static Broker broker;
  static Http anonymous;

  /** Role name to a token of that role on orders.* (admin: everything). */
  static final Map<String, String> TOKENS = new LinkedHashMap<>();

  /** Ids registered for the checks: by topic case, what each op needs. */
  static final Map<String, Long> IDS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    tokens = Tokens.generate(Layout.scratch("auth-keys"));
    broker = Broker.on(Database.forSuite()).settings(tokens.brokerSettings()).start();
    anonymous = new Http(broker.uri());
    TOKENS.put("admin", tokens.token("root", List.of("admin"), List.of()));
    TOKENS.put("producer", tokens.token("shop", List.of("producer"), List.of("orders.*")));
    TOKENS.put("consumer", tokens.token("billing", List.of("consumer"), List.of("orders.*")));
    TOKENS.put("none", tokens.token("nobody", List.of(), List.of("orders.*")));
    Http admin = as("admin");
    ok(admin.post("topics", Http.json("name", OWN)));
    ok(admin.post("topics", Http.json("name", OTHER)));
    IDS.put(
        "producer@own",
        id(as("producer").post("producer/register", Http.json("topic", OWN)), "producer_id"));
    IDS.put(
        "producer@other",
        id(admin.post("producer/register", Http.json("topic", OTHER)), "producer_id"));
    IDS.put("producer@absent", 999_999L);
    for (int i = 0; i < 20; i++) {
      ok(
          as("producer")
              .post(
                  "producer/produce",
                  Http.json(
                      "topic", OWN, "producer_id", IDS.get("producer@own"), "message", "m" + i)));
      ok(
          admin.post(
              "producer/produce",
              Http.json(
                  "topic", OTHER, "producer_id", IDS.get("producer@other"), "message", "s" + i)));
    }
    IDS.put(
        "consumer@own",
        id(
            as("consumer").post("consumer/register", Http.json("topic", OWN, "ack", "explicit")),
            "consumer_id"));
    IDS.put(
        "consumer@other",
        id(
            admin.post("consumer/register", Http.json("topic", OTHER, "ack", "explicit")),
            "consumer_id"));
    IDS.put("consumer@absent", 999_999L);
  }

  @AfterAll
  static void stop() {
    broker.stop();
  }

  static Http as(String role) {
    return anonymous.withToken(TOKENS.get(role));
  }

  static long id(Reply reply, String field) {
    ok(reply);
    return reply.json().getJsonNumber(field).longValueExact();
  }

  static void ok(Reply reply) {
    assertTrue(reply.isSuccess(), reply::toString);
  }

  /** A request of the matrix: what it is, the roles that may make it, how to make it. */
  record Op(String name, Set<String> roles, boolean topical, Function<String, Request> request) {}

  record Request(String method, String path, String body) {}

  static String topicOf(String topicCase) {
    return switch (topicCase) {
      case "own" -> OWN;
      case "other" -> OTHER;
      default -> ABSENT;
    };
  }

  static final Set<String> ALL = Set.of("admin", "producer", "consumer", "none");

  /** Every endpoint; a topical one is tried on the token's topic, another's, and a missing one. */
  static List<Op> ops() {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op("list topics", ALL, false, c -> new Request("GET", "topics", null)));
    ops.add(
        new Op(
            "list topics with details",
            ALL,
            false,
            c -> new Request("GET", "topics?details=true", null)));
    ops.add(
        new Op(
            "create topic",
            Set.of("admin"),
            false,
            c -> new Request("POST", "topics", "{\"name\":\"made-" + System.nanoTime() + "\"}")));
    ops.add(new Op("metrics", Set.of("admin"), false, c -> new Request("GET", "metrics", null)));
    ops.add(new Op("openapi", Set.of("admin"), false, c -> new Request("GET", "openapi", null)));
    ops.add(new Op("cluster", Set.of("admin"), false, c -> new Request("GET", "cluster", null)));
    ops.add(
        new Op(
            "topic details",
            Set.of("admin", "producer", "consumer"),
            true,
            c -> new Request("GET", "topics/" + topicOf(c), null)));
    ops.add(
        new Op(
            "change retention",
            Set.of("admin"),
            true,
            c -> new Request("PUT", "topics/" + topicOf(c), "{\"retention_ms\":0}")));
    ops.add(
        new Op(
            "browse messages",
            Set.of("admin", "consumer"),
            true,
            c -> new Request("GET", "topics/" + topicOf(c) + "/messages?max=5", null)));
    ops.add(
        new Op(
            "register producer",
            Set.of("admin", "producer"),
            true,
            c -> new Request("POST", "producer/register", "{\"topic\":\"" + topicOf(c) + "\"}")));
    ops.add(
        new Op(
            "produce",
            Set.of("admin", "producer"),
            true,
            c ->
                new Request(
                    "POST",
                    "producer/produce",
                    "{\"topic\":\""
                        + topicOf(c)
                        + "\",\"producer_id\":"
                        + IDS.get("producer@" + c)
                        + ",\"message\":\"x\"}")));
    ops.add(
        new Op(
            "register consumer",
            Set.of("admin", "consumer"),
            true,
            c -> new Request("POST", "consumer/register", "{\"topic\":\"" + topicOf(c) + "\"}")));
    ops.add(
        new Op(
            "consume (POST)",
            Set.of("admin", "consumer"),
            true,
            c ->
                new Request(
                    "POST",
                    "consumer/consume",
                    "{\"topic\":\""
                        + topicOf(c)
                        + "\",\"consumer_id\":"
                        + IDS.get("consumer@" + c)
                        + ",\"max\":2}")));
    ops.add(
        new Op(
            "consume (GET)",
            Set.of("admin", "consumer"),
            true,
            c ->
                new Request(
                    "GET",
                    "consumer/consume?topic="
                        + topicOf(c)
                        + "&consumer_id="
                        + IDS.get("consumer@" + c)
                        + "&max=2",
                    null)));
    ops.add(
        new Op(
            "ack",
            Set.of("admin", "consumer"),
            true,
            c ->
                new Request(
                    "POST",
                    "consumer/ack",
                    "{\"topic\":\""
                        + topicOf(c)
                        + "\",\"consumer_id\":"
                        + IDS.get("consumer@" + c)
                        + ",\"extend\":[]}")));
    ops.add(
        new Op(
            "seek",
            Set.of("admin", "consumer"),
            true,
            c ->
                new Request(
                    "POST",
                    "consumer/seek",
                    "{\"topic\":\""
                        + topicOf(c)
                        + "\",\"consumer_id\":"
                        + IDS.get("consumer@" + c)
                        + ",\"offset\":0}")));
    ops.add(
        new Op(
            "size (GET)",
            Set.of("admin", "consumer"),
            true,
            c ->
                new Request(
                    "GET",
                    "size?topic=" + topicOf(c) + "&consumer_id=" + IDS.get("consumer@" + c),
                    null)));
    ops.add(
        new Op(
            "size (POST)",
            Set.of("admin", "consumer"),
            true,
            c ->
                new Request(
                    "POST",
                    "size",
                    "{\"topic\":\""
                        + topicOf(c)
                        + "\",\"consumer_id\":"
                        + IDS.get("consumer@" + c)
                        + "}")));
    return ops;
  }

  static Reply send(Http http, Request request) {
    return http.send(
        request.method(),
        request.path(),
        request.body(),
        request.body() == null ? null : "application/json");
  }

  @Test
  void everyRoleOnEveryEndpointGetsWhatItMayAndNothingOfOtherTopics() {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (String role : TOKENS.keySet()) {
      Http http = as(role);
      for (Op op : ops()) {
        for (String topicCase : op.topical() ? List.of("own", "other", "absent") : List.of("-")) {
          boolean admin = role.equals("admin");
          boolean allowed =
              op.roles().contains(role) && (admin || !op.topical() || topicCase.equals("own"));
          Reply reply = send(http, op.request().apply(topicCase));
          checked++;
          String what =
              role
                  + " / "
                  + op.name()
                  + (op.topical() ? " / " + topicCase + " topic" : "")
                  + ": "
                  + reply;
          if (allowed) {
            if (reply.status() == 401 || reply.status() == 403 || reply.status() >= 500) {
              wrong.add("refused, but may: " + what);
            }
          } else if (reply.status() != 403 || !"forbidden".equals(reply.error())) {
            wrong.add("not 403 forbidden: " + what);
          }
          if (!admin && reply.text().contains(OTHER)) {
            wrong.add("tells of another topic: " + what);
          }
        }
        if (op.topical() && !role.equals("admin")) {
          Reply other = send(http, op.request().apply("other"));
          Reply absent = send(http, op.request().apply("absent"));
          checked++;
          if (other.status() != absent.status() || !other.text().equals(absent.text())) {
            wrong.add(
                role
                    + " / "
                    + op.name()
                    + ": a topic it may not see and a missing one differ: "
                    + other
                    + " / "
                    + absent);
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
    System.getLogger(AuthIT.class.getName())
        .log(System.Logger.Level.INFO, "Auth matrix: {0} requests, as expected", checked);
    // what a non-admin lists is what its token names
    assertEquals(
        "[\"orders.eu\"]", as("consumer").get("topics").json().getJsonArray("topics").toString());
  }

  @Test
  void badCredentialsAre401WithABearerChallengeAndOpenPathsStayOpen() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("no token", null);
    bad.put("expired", tokens.expired("root", List.of("admin"), List.of("*")));
    bad.put(
        "signed by another key", tokens.signedByAnotherKey("root", List.of("admin"), List.of("*")));
    bad.put(
        "another issuer", tokens.ofIssuer("someone-else", "root", List.of("admin"), List.of("*")));
    bad.put("alg none", tokens.unsigned("root", List.of("admin"), List.of("*")));
    bad.put(
        "claims changed after signing",
        tokens.tampered("shop", List.of("producer"), List.of("orders.*")));
    bad.put("not a token", "not.a.token");
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, String> credential : bad.entrySet()) {
      Http http = anonymous.withToken(credential.getValue());
      for (Op op : ops()) {
        Reply reply = send(http, op.request().apply("own"));
        checked++;
        String challenge = reply.headers().firstValue("WWW-Authenticate").orElse("");
        if (reply.status() != 401
            || !"unauthorized".equals(reply.error())
            || !challenge.startsWith("Bearer")) {
          wrong.add(credential.getKey() + " / " + op.name() + ": " + reply + " " + challenge);
        }
      }
    }
    for (String open : List.of("status", "health/ready", "health/live", "console/")) {
      Reply reply = anonymous.get(open);
      checked++;
      if (reply.status() != 200) {
        wrong.add("open path " + open + ": " + reply);
      }
    }
    assertEquals(List.of(), wrong);
    System.getLogger(AuthIT.class.getName())
        .log(System.Logger.Level.INFO, "Bad credentials: {0} requests, as expected", checked);
  }

  @Test
  void whatATokenRegisteredIsItsSubjectsAcrossARestart() {
    String thief = tokens.token("shop2", List.of("producer", "consumer"), List.of("orders.*"));
    String sharer =
        tokens.token("audit", List.of("consumer"), List.of("orders.*"), List.of("invoices"));
    Http stranger = anonymous.withToken(thief);
    long producer = IDS.get("producer@own");
    long consumer = IDS.get("consumer@own");
    Reply stolen =
        stranger.post(
            "producer/produce", Http.json("topic", OWN, "producer_id", producer, "message", "x"));
    assertEquals(403, stolen.status(), stolen::toString);
    assertEquals("forbidden", stolen.error());
    ok(
        as("admin")
            .post(
                "producer/produce",
                Http.json("topic", OWN, "producer_id", producer, "message", "by an admin")));
    for (String path : List.of("consumer/consume", "size", "consumer/seek")) {
      Reply reply =
          stranger.post(path, Http.json("topic", OWN, "consumer_id", consumer, "offset", 0));
      assertEquals(403, reply.status(), path + ": " + reply);
    }
    assertEquals(
        403,
        stranger.send("DELETE", "topics/" + OWN + "/consumers/" + consumer, null, null).status());

    // a durable name is its registrant's, and shared with the tokens that name it
    long invoices =
        id(
            as("consumer").post("consumer/register", Http.json("topic", OWN, "name", "invoices")),
            "consumer_id");
    assertEquals(
        403,
        stranger.post("consumer/register", Http.json("topic", OWN, "name", "invoices")).status());
    Reply shared =
        anonymous
            .withToken(sharer)
            .post("consumer/register", Http.json("topic", OWN, "name", "invoices"));
    assertEquals(invoices, id(shared, "consumer_id"));
    assertTrue(shared.json().getBoolean("existing"));
    ok(
        anonymous
            .withToken(sharer)
            .post("consumer/consume", Http.json("topic", OWN, "consumer_id", invoices, "max", 1)));

    broker.stop();
    broker.start();
    assertEquals(
        403,
        stranger
            .post(
                "producer/produce",
                Http.json("topic", OWN, "producer_id", producer, "message", "x"))
            .status(),
        "kept across a restart");
    assertEquals(
        403,
        stranger
            .post("consumer/consume", Http.json("topic", OWN, "consumer_id", invoices, "max", 1))
            .status());
    ok(
        as("producer")
            .post(
                "producer/produce",
                Http.json("topic", OWN, "producer_id", producer, "message", "still mine")));
    ok(
        anonymous
            .withToken(sharer)
            .post("consumer/consume", Http.json("topic", OWN, "consumer_id", invoices, "max", 1)));
    long temporary =
        id(as("consumer").post("consumer/register", Http.json("topic", OWN)), "consumer_id");
    ok(as("consumer").send("DELETE", "topics/" + OWN + "/consumers/" + temporary, null, null));
    assertFalse(
        as("consumer").get("topics/" + OWN).text().contains("\"consumer_id\":" + temporary + ","));
  }
}
