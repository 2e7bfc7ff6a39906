package dev.logqueue.harness;

import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thousands of generated hostile requests: malformed and truncated JSON, wrong types, huge and
 * deeply nested bodies, invalid UTF-8, wrong content types and methods, empty bodies, unknown
 * fields, strange ids and topic names. None may get a 5xx; every refusal must be the JSON failure
 * body with an error code and nothing internal in it; the broker must keep serving.
 */
final class HostileInput {

  /** A request: method, path with query, content type (or null), body (or null). */
  record Request(String method, String path, String contentType, byte[] body) {
    static Request post(String path, String json) {
      return new Request("POST", path, "application/json", bytes(json));
    }

    @Override
    public String toString() {
      String shown =
          body == null
              ? ""
              : new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
      return method
          + " "
          + path
          + (contentType != null ? " [" + contentType + "]" : "")
          + " "
          + shown;
    }
  }

  /** What came back. */
  record Result(
      int requests,
      int serverErrors,
      int notJsonFailures,
      int leaks,
      int stoppedServing,
      List<String> examples) {
    boolean clean() {
      return serverErrors == 0 && notJsonFailures == 0 && leaks == 0 && stoppedServing == 0;
    }
  }

  /** Words no answer may hold: they would give away the broker's insides. */
  static final List<String> LEAKS =
      List.of(
          "Exception",
          "\tat ",
          ".java:",
          "Caused by",
          "EclipseLink",
          "org.eclipse",
          "org.glassfish",
          "org.h2",
          "org.postgresql",
          "jakarta.",
          "java.lang",
          "SQLState",
          "stack");

  private static final String[] TOPIC_NAMES = {
    "",
    " ",
    "a b",
    "../../etc/passwd",
    "a/b",
    "%2F",
    "..",
    "x".repeat(250),
    "t\u0000",
    "t\n",
    "t\t",
    "'; DROP TABLE lq_message; --",
    "\" OR 1=1 --",
    "é",
    "😀",
    "<script>",
    "${jndi:ldap://x}",
    "topic?x=1",
    "null"
  };

  private static final String[] ODD_VALUES = {
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "-0",
    "1e3",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
    "\"\"",
    "\" \"",
    "\"-5\"",
    "\"0x10\"",
    "\"1e3\"",
    "[]",
    "{}",
    "[1,2]",
    "{\"a\":{\"b\":[]}}",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"" + "x".repeat(300) + "\""
  };

  private static final String[] CONTENT_TYPES = {
    null,
    "application/json",
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "garbage",
    "application/json; charset=ISO-8859-1",
    "*/*"
  };

  private static final String PUNCTUATION = "{}[]\":,\\ x1";

  private static final String[] METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"
  };

  private static final String[] PATHS = {
    "status",
    "topics",
    "producer/register",
    "producer/produce",
    "consumer/register",
    "consumer/consume",
    "size",
    "",
    "topics/",
    "topics/x",
    "producer",
    "consumer",
    "consumer/consume/extra",
    "nope",
    "health/../topics",
    "%2e%2e/topics",
    "topics%00",
    "size;x=1",
    "consumer//consume",
    "TOPICS",
    "producer/produce?topic=t"
  };

  private final Http http;
  private final Wire wire;
  private final Random random;
  private final URI base;

  HostileInput(URI base, long seed) {
    this.base = base;
    this.wire = new Wire(base);
    this.http = wire.http();
    this.random = new Random(seed);
  }

  /** At least {@code minimum} requests. */
  Result run(int minimum) {
    String topic = "hostile";
    long producer = wire.registerProducer(topic);
    long consumer = wire.registerConsumer(topic);
    List<Request> requests = generate(topic, producer, consumer, minimum);
    int serverErrors = 0;
    int notJson = 0;
    int leaks = 0;
    int stopped = 0;
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      Request request = requests.get(i);
      Reply reply =
          http.send(
              request.method(),
              request.path(),
              request.body(),
              request.contentType(),
              Duration.ofSeconds(30));
      String problem = judge(request, reply);
      if (problem != null) {
        switch (problem.charAt(0)) {
          case '5' -> serverErrors++;
          case 'J' -> notJson++;
          default -> leaks++;
        }
        if (examples.size() < 10) {
          examples.add(problem + " <- " + request + " -> " + reply);
        }
      }
      if (i % 100 == 99 && http.get("status").status() != 200) {
        stopped++;
      }
    }
    // and it still does its job
    wire.produce(topic, producer, "still serving");
    if (!wire.topics().contains(topic)) {
      stopped++;
    }
    return new Result(requests.size(), serverErrors, notJson, leaks, stopped, examples);
  }

  /**
   * Paths the HTTP server itself refuses, with a bare "400 Invalid URI" and no body, before any
   * application sees the request: an encoded NUL or ".." segment. The broker cannot answer them.
   */
  static boolean refusedByTheServer(Request request, Reply reply) {
    String path = request.path().toLowerCase(java.util.Locale.ROOT);
    return (path.contains("%00") || path.contains("%2e%2e"))
        && reply.status() == 400
        && reply.text().isEmpty();
  }

  /**
   * Null if the answer is fine, else what is wrong (first letter: 5 = 5xx, J = not JSON, L = leak).
   */
  static String judge(Request request, Reply reply) {
    if (reply.status() >= 500) {
      return "5xx";
    }
    if (refusedByTheServer(request, reply)) {
      return null;
    }
    for (String leak : LEAKS) {
      if (reply.text().contains(leak)) {
        return "Leak of '" + leak + "'";
      }
    }
    if (request.method().equals("HEAD")
        || (request.method().equals("OPTIONS") && reply.status() < 400)) {
      return null; // no body by design
    }
    JsonObject body;
    try {
      body = reply.json();
    } catch (AssertionError e) {
      return "JSON expected";
    }
    if (reply.status() >= 400) {
      if (!"failure".equals(body.getString("status", null))
          || body.getString("error", "").isEmpty()
          || body.getString("message", "").isEmpty()) {
        return "JSON failure body expected";
      }
    } else if (!"success".equals(body.getString("status", null))) {
      return "JSON success body expected";
    }
    return null;
  }

  /** A valid request of one operation: where it goes and its JSON body. */
  private record Call(String path, String json) {}

  /** A produce body: the topic (as JSON), the producer, and what follows, e.g. the message. */
  private static String produce(String topicJson, long producer, String rest) {
    return "{\"topic\":" + topicJson + ",\"producer_id\":" + producer + "," + rest + "}";
  }

  /** The JSON object with one more field, first. */
  private static String withField(String json, String field, String value) {
    return json.replaceFirst("\\{", "{\"" + field + "\":" + value + ",");
  }

  private List<Request> generate(String topic, long producer, long consumer, int minimum) {
    List<Request> requests = new ArrayList<>();
    String topicJson = jsonString(topic);
    List<Call> valid =
        List.of(
            new Call("topics", "{\"name\":\"" + topic + "-new\"}"),
            new Call("producer/register", "{\"topic\":" + topicJson + "}"),
            new Call("producer/produce", produce(topicJson, producer, "\"message\":\"hello\"")),
            new Call(
                "producer/produce", produce(topicJson, producer, "\"messages\":[\"a\",\"b\"]")),
            new Call(
                "consumer/consume",
                "{\"topic\":" + topicJson + ",\"consumer_id\":" + consumer + "}"),
            new Call(
                "consumer/consume",
                "{\"topic\":"
                    + topicJson
                    + ",\"consumer_id\":"
                    + consumer
                    + ",\"max\":5,\"wait_ms\":0}"));
    // 1. valid bodies, truncated and mutated: malformed JSON
    for (int i = 0; i < 600; i++) {
      Call call = valid.get(random.nextInt(valid.size()));
      byte[] body = bytes(call.json());
      body =
          switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(body, random.nextInt(body.length));
            case 1 -> mutate(body, (byte) PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
            case 2 -> mutate(body, (byte) random.nextInt(256));
            default -> concat(body, body);
          };
      requests.add(new Request("POST", call.path(), "application/json", body));
    }
    // 2. every field of every operation, with every odd value: wrong types, odd ids
    String[] fields = {
      "name",
      "topic",
      "topic_name",
      "producer_id",
      "consumer_id",
      "message",
      "log_message",
      "messages",
      "max",
      "wait_ms"
    };
    for (Call call : valid) {
      for (String field : fields) {
        for (String value : ODD_VALUES) {
          requests.add(
              new Request(
                  random.nextBoolean() ? "POST" : "GET",
                  call.path(),
                  "application/json",
                  bytes(withField(call.json(), field, value))));
        }
      }
    }
    // 3. topic names with paths, SQL, control characters, everywhere a topic goes
    for (String name : TOPIC_NAMES) {
      String quoted = jsonString(name);
      requests.add(Request.post("topics", "{\"name\":" + quoted + "}"));
      requests.add(Request.post("producer/register", "{\"topic\":" + quoted + "}"));
      requests.add(Request.post("consumer/register", "{\"topic_name\":" + quoted + "}"));
      requests.add(
          Request.post("producer/produce", produce(quoted, producer, "\"message\":\"m\"")));
      requests.add(
          new Request(
              "GET", "size?topic=" + urlEncode(name) + "&consumer_id=" + consumer, null, null));
      requests.add(
          new Request(
              "GET",
              "consumer/consume?topic=" + urlEncode(name) + "&consumer_id=" + consumer,
              null,
              null));
    }
    // 4. every method on every path, with and without a body, under every content type
    for (String method : METHODS) {
      for (String path : PATHS) {
        String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        byte[] body =
            method.equals("GET") || method.equals("HEAD") || random.nextBoolean()
                ? null
                : bytes(valid.get(random.nextInt(valid.size())).json());
        requests.add(new Request(method, path, type, body));
      }
    }
    for (String type : CONTENT_TYPES) {
      for (Call call : valid) {
        requests.add(new Request("POST", call.path(), type, bytes(call.json())));
      }
    }
    // 5. empty bodies, bodies that are not objects, duplicate and unknown fields
    for (Call call : valid) {
      for (String body :
          new String[] {
            "",
            " ",
            "null",
            "[]",
            "\"x\"",
            "42",
            "{}",
            "{\"topic\":\"a\",\"topic\":\"b\"}",
            "{\"unknown\":1,\"topic\":\""
                + topic
                + "\",\"consumer_id\":"
                + consumer
                + ",\"extra\":{\"deep\":[1]}}"
          }) {
        requests.add(Request.post(call.path(), body));
      }
    }
    // 6. invalid UTF-8 inside strings
    byte[][] invalid = {
      {(byte) 0xC3, 0x28},
      {(byte) 0xFF},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
    };
    for (byte[] bad : invalid) {
      for (Call call : valid) {
        int quote = call.json().indexOf('"', 2);
        requests.add(
            new Request(
                "POST",
                call.path(),
                "application/json",
                insert(bytes(call.json()), quote + 1, bad)));
      }
    }
    // 7. deep nesting and large bodies
    for (int depth : new int[] {65, 1_000, 100_000}) {
      requests.add(
          Request.post(
              "producer/produce",
              "{\"topic\":" + topicJson + ",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}"));
      requests.add(Request.post("topics", "[".repeat(depth)));
    }
    requests.add(
        Request.post(
            "producer/produce",
            produce(topicJson, producer, "\"message\":\"" + "x".repeat(1024 * 1024 + 1) + "\"")));
    requests.add(
        new Request("POST", "producer/produce", "application/json", new byte[9 * 1024 * 1024]));
    requests.add(new Request("POST", "topics", "text/plain", bytes("x".repeat(64 * 1024))));
    // 8. top up with random mixtures until the minimum
    while (requests.size() < minimum) {
      Call call = valid.get(random.nextInt(valid.size()));
      String field = fields[random.nextInt(fields.length)];
      String value = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
      byte[] body = bytes(withField(call.json(), field, value));
      if (random.nextBoolean()) {
        body = mutate(body, (byte) random.nextInt(256));
      }
      requests.add(
          new Request(
              METHODS[random.nextInt(3)],
              call.path(),
              CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)],
              body));
    }
    return requests;
  }

  private byte[] mutate(byte[] body, byte inserted) {
    return insert(body, random.nextInt(body.length + 1), new byte[] {inserted});
  }

  private static byte[] insert(byte[] body, int at, byte[] inserted) {
    byte[] out = new byte[body.length + inserted.length];
    System.arraycopy(body, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(body, at, out, at + inserted.length, body.length - at);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return insert(a, a.length, b);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String jsonString(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String urlEncode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * A body declared (Content-Length) far over the limit is refused at once, before it is sent, let
   * alone read into memory.
   *
   * @return the status line of the answer
   */
  String refusesADeclaredHugeBody() throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /producer/produce HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000000000\r\n\r\n{\"topic\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return statusLine(socket.getInputStream());
    }
  }

  /**
   * A chunked body with no length is refused once it passes the limit: the answer comes while the
   * client is still sending, far before all of it.
   *
   * @return the status line, and how many bytes had been sent when it came
   */
  String refusesAnEndlessChunkedBody() throws IOException, InterruptedException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /producer/produce HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      AtomicLong sent = new AtomicLong();
      long limit = 256L * 1024 * 1024;
      Thread sender =
          new Thread(
              () -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                byte[] header =
                    (Integer.toHexString(chunk.length) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                  while (sent.get() < limit) {
                    out.write(header);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent.addAndGet(chunk.length);
                  }
                } catch (IOException closed) {
                  // the broker stopped reading: expected
                }
              });
      sender.start();
      String status = statusLine(socket.getInputStream());
      long when = sent.get();
      socket.close();
      sender.join(30_000);
      return status + " after " + when + " bytes of " + limit;
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString().trim();
  }
}
