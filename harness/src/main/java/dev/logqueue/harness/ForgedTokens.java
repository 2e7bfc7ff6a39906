package dev.logqueue.harness;

import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Malformed, oversized and forged bearer tokens against a broker that asks for tokens: garbage,
 * tokens of the wrong shape, unsigned ones, ones signed by another key, expired, of another issuer,
 * with their claims changed after signing or of the wrong types, and huge ones. Every answer must
 * be a refusal in the JSON failure body (401, or the header's size refused), never a 5xx or a
 * success, and the broker must go on serving a good token.
 */
final class ForgedTokens {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private static final String[] PATHS = {
    "topics",
    "topics?details=true",
    "producer/register",
    "consumer/consume",
    "metrics",
    "openapi",
    "topics/orders",
    "size?topic=orders&consumer_id=1"
  };

  private final URI base;
  private final Tokens tokens;
  private final Random random;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  ForgedTokens(URI base, Tokens tokens, long seed) {
    this.base = base;
    this.tokens = tokens;
    this.random = new Random(seed);
  }

  /** Requests the HTTP server refused before any application saw them: headers over its limit. */
  private int serverRefused;

  int serverRefused() {
    return serverRefused;
  }

  /**
   * Grizzly refuses a request whose headers pass its buffer (8 KiB) with a bare 400, before the
   * broker sees it: the broker cannot answer those, and nothing reaches it.
   */
  static boolean refusedByTheServer(String header, Reply reply) {
    return header != null
        && header.length() > 8 * 1024
        && reply.status() == 400
        && reply.text().isEmpty();
  }

  /** {@code count} requests with bad Authorization headers. */
  HostileInput.Result run(int count) {
    int serverErrors = 0;
    int notJson = 0;
    int leaks = 0;
    int stopped = 0;
    serverRefused = 0;
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String header = forged(i);
      String path = PATHS[random.nextInt(PATHS.length)];
      boolean post = path.startsWith("producer") || path.startsWith("consumer");
      HostileInput.Request request =
          new HostileInput.Request(
              post ? "POST" : "GET",
              path,
              post ? "application/json" : null,
              post
                  ? "{\"topic\":\"orders\",\"consumer_id\":1}".getBytes(StandardCharsets.UTF_8)
                  : null);
      Reply reply = send(request, header);
      if (refusedByTheServer(header, reply)) {
        serverRefused++;
        continue;
      }
      String problem = HostileInput.judge(request, reply);
      if (problem == null && reply.status() < 400) {
        problem = "Success for a forged token";
      }
      if (problem != null) {
        switch (problem.charAt(0)) {
          case '5' -> serverErrors++;
          case 'J' -> notJson++;
          default -> leaks++;
        }
        if (examples.size() < 10) {
          examples.add(problem + " <- " + abbreviated(header) + " " + request + " -> " + reply);
        }
      }
      if (i % 100 == 99
          && send(new HostileInput.Request("GET", "status", null, null), null).status() != 200) {
        stopped++;
      }
    }
    String good = "Bearer " + tokens.token("root", List.of("admin"), List.of());
    if (send(new HostileInput.Request("GET", "topics", null, null), good).status() != 200) {
      stopped++;
    }
    return new HostileInput.Result(count, serverErrors, notJson, leaks, stopped, examples);
  }

  /** The i-th bad Authorization header, of a kind chosen in turn. */
  private String forged(int i) {
    List<String> admin = List.of("admin");
    List<String> all = List.of("*");
    return switch (i % 14) {
      case 0 -> "Bearer " + garbage(1 + random.nextInt(200));
      case 1 -> "Bearer " + segment() + "." + segment() + "." + segment();
      case 2 -> "Bearer " + segment() + "." + segment();
      case 3 -> "Bearer " + tokens.unsigned("root", admin, all);
      case 4 -> "Bearer " + tokens.signedByAnotherKey("root", admin, all);
      case 5 -> "Bearer " + tokens.expired("root", admin, all);
      case 6 -> "Bearer " + tokens.ofIssuer("evil-" + random.nextInt(1000), "root", admin, all);
      case 7 -> "Bearer " + tokens.tampered("shop", List.of("producer"), List.of("orders"));
      case 8 -> "Bearer " + json("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + json(claims()) + ".";
      case 9 ->
          "Bearer "
              + json("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")
              + "."
              + json(claims())
              + "."
              + segment();
      case 10 -> "Bearer " + "A".repeat(1_000 + random.nextInt(60_000));
      case 11 ->
          List.of(
                  "Bearer",
                  "Bearer ",
                  "bearer x",
                  "Basic cm9vdDpyb290",
                  "Token abc",
                  "Bearer \"x\"")
              .get(random.nextInt(6));
      case 12 -> "Bearer " + garbage(20) + "." + garbage(40) + "." + garbage(20) + "." + garbage(5);
      default ->
          "Bearer "
              + json("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"../../etc/passwd\"}")
              + "."
              + json(claims())
              + "."
              + segment();
    };
  }

  /** Claims of odd types and sizes: groups as an object, topics as a number, huge arrays. */
  private String claims() {
    return switch (random.nextInt(4)) {
      case 0 ->
          "{\"iss\":\"logqueue\",\"sub\":\"root\",\"groups\":{\"admin\":true},\"exp\":9999999999}";
      case 1 ->
          "{\"iss\":\"logqueue\",\"sub\":1,\"groups\":\"admin\",\"lq_topics\":7,\"exp\":\"never\"}";
      case 2 ->
          "{\"iss\":\"logqueue\",\"sub\":\"root\",\"groups\":["
              + "\"admin\",".repeat(2000)
              + "\"admin\"],\"exp\":9999999999}";
      default -> "[1,2,3]";
    };
  }

  private String segment() {
    byte[] bytes = new byte[1 + random.nextInt(300)];
    random.nextBytes(bytes);
    return URL.encodeToString(bytes);
  }

  private static String json(String text) {
    return URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Printable characters a header may carry, picked at random (some not of base64url). */
  private String garbage(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) (0x21 + random.nextInt(0x7e - 0x21)));
    }
    return text.toString();
  }

  private Reply send(HostileInput.Request request, String authorization) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(request.path()))
            .timeout(Duration.ofSeconds(30))
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          client.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      return new Reply(599, null, "no answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviated(String header) {
    return header.length() > 80
        ? header.substring(0, 80) + "... (" + header.length() + ")"
        : header;
  }
}
