package dev.logqueue.broker.cluster.boundary;

import dev.logqueue.broker.cluster.control.Cluster;
import dev.logqueue.broker.cluster.control.ClusterSettings;
import dev.logqueue.broker.http.boundary.FailureMapper;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends requests on to other members of the cluster and their answers back, without holding a
 * server thread meanwhile (the servlet's asynchronous mode). One HTTP client keeps its connections
 * to the members alive; at most {@code logqueue.cluster.forward-max} requests are under way at once
 * (beyond, 503), which bounds those connections too.
 */
@ApplicationScoped
public class Forwarder {

  private static final Logger LOG = System.getLogger(Forwarder.class.getName());

  /** The header of a forwarded request: the URL of the member that forwarded it. */
  public static final String FORWARDED = "X-LogQueue-Forwarded";

  /**
   * The header of a produce that named no partition, to a topic of several: the partition the
   * member that forwarded it chose (the member that serves that partition appends it there).
   */
  public static final String PARTITION = "X-LogQueue-Partition";

  private static final List<String> REQUEST_HEADERS =
      List.of("Content-Type", "Authorization", "Accept", PARTITION);
  private static final List<String> RESPONSE_HEADERS =
      List.of("Content-Type", "Retry-After", "Allow", "WWW-Authenticate");

  /** Longer than any request takes: a waiting consume (30 s at most) and its commit. */
  static final Duration TIMEOUT = Duration.ofSeconds(45);

  @Inject ClusterSettings settings;
  @Inject Cluster cluster;

  @Inject
  @ConfigProperty(name = "logqueue.cluster.forward-max", defaultValue = "512")
  int forwardMax;

  @Inject
  @ConfigProperty(name = "logqueue.request.max-bytes", defaultValue = "8388608")
  long maxBytes;

  private HttpClient client;
  private ExecutorService executor;
  private Semaphore permits;

  @PostConstruct
  void open() {
    executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread thread = new Thread(r, "logqueue-forwarding");
              thread.setDaemon(true);
              return thread;
            });
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(executor)
            .build();
    permits = new Semaphore(forwardMax);
    cluster.onMemberGone(this::abandon);
  }

  /** The requests on their way to each member, by its URL. */
  private final Map<String, Set<CompletableFuture<?>>> inFlight = new ConcurrentHashMap<>();

  /**
   * Fails the requests forwarded to a member that left the cluster: a member cut off from the
   * network does not answer, and its clients are told at once (503) instead of when the request
   * times out. Whether it had done them is unknown, as for any request whose answer is lost.
   */
  void abandon(String url) {
    Set<CompletableFuture<?>> requests = inFlight.remove(url);
    if (requests != null && !requests.isEmpty()) {
      LOG.log(
          Level.INFO, "Member " + url + " left: " + requests.size() + " forwarded requests fail");
      requests.forEach(request -> request.cancel(true));
    }
  }

  @PreDestroy
  void close() {
    executor.shutdownNow();
  }

  /**
   * Sends a request of this member's own to {@code url} (as a client would: not marked forwarded),
   * with the caller's credentials; the answer, whatever its status.
   */
  CompletableFuture<HttpResponse<byte[]>> send(
      String url, String method, byte[] body, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null || body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends the request to the member at {@code url}, its answer back to the client. */
  void forward(
      HttpServletRequest request,
      HttpServletResponse response,
      byte[] body,
      String url,
      TopicName topic)
      throws IOException {
    if (!permits.tryAcquire()) {
      Forwarding.unavailable(
          response, "This member forwards " + forwardMax + " requests already; try again");
      return;
    }
    byte[] payload;
    try {
      payload =
          body != null
              ? body
              : request
                  .getInputStream()
                  .readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException | RuntimeException e) {
      permits.release();
      throw e;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(TIMEOUT.toMillis() + 5_000);
    String query = request.getQueryString();
    HttpRequest.Builder onward =
        HttpRequest.newBuilder(
                URI.create(url + request.getRequestURI() + (query == null ? "" : "?" + query)))
            .timeout(TIMEOUT)
            .method(
                request.getMethod(),
                payload.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(payload))
            .header(FORWARDED, settings.advertisedUrl());
    for (String name : REQUEST_HEADERS) {
      String value = request.getHeader(name);
      if (value != null) {
        onward.header(name, value);
      }
    }
    CompletableFuture<HttpResponse<byte[]>> sent =
        client.sendAsync(onward.build(), HttpResponse.BodyHandlers.ofByteArray());
    Set<CompletableFuture<?>> toMember =
        inFlight.computeIfAbsent(url, u -> ConcurrentHashMap.newKeySet());
    toMember.add(sent);
    sent.whenComplete(
        (answer, failure) -> {
          toMember.remove(sent);
          try {
            HttpServletResponse out = (HttpServletResponse) async.getResponse();
            if (failure != null) {
              LOG.log(Level.DEBUG, "Forwarding to " + url + " failed", failure);
              Forwarding.unavailable(
                  out,
                  "The member of the cluster that serves topic '"
                      + topic
                      + "' ("
                      + url
                      + ") did not answer; try again");
            } else {
              copy(answer, out);
            }
          } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Could not answer a forwarded request", e);
          } finally {
            permits.release();
            async.complete();
          }
        });
  }

  /**
   * GET /topics?details=true of the whole cluster: each member's topics, from each member, in
   * creation order. A member's failure is the answer (503 if it does not answer): a listing that
   * silently lacks topics would mislead.
   */
  void gather(HttpServletRequest request, HttpServletResponse response) throws IOException {
    List<String> members = new ArrayList<>();
    members.add(settings.advertisedUrl());
    members.addAll(cluster.otherUrls());
    AsyncContext async = request.startAsync();
    async.setTimeout(TIMEOUT.toMillis() + 5_000);
    List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
    for (String member : members) {
      HttpRequest.Builder one =
          HttpRequest.newBuilder(URI.create(member + "/topics?details=true"))
              .timeout(Duration.ofSeconds(10))
              .header(FORWARDED, settings.advertisedUrl());
      String authorization = request.getHeader("Authorization");
      if (authorization != null) {
        one.header("Authorization", authorization);
      }
      answers.add(client.sendAsync(one.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .whenComplete(
            (all, failure) -> {
              try {
                HttpServletResponse out = (HttpServletResponse) async.getResponse();
                if (failure != null) {
                  Forwarding.unavailable(out, "A member of the cluster did not answer; try again");
                  return;
                }
                List<JsonValue> topics = new ArrayList<>();
                for (CompletableFuture<HttpResponse<byte[]>> answer : answers) {
                  HttpResponse<byte[]> one = answer.join();
                  if (one.statusCode() != 200) {
                    copy(one, out);
                    return;
                  }
                  try (JsonReader reader =
                      Json.createReader(new ByteArrayInputStream(one.body()))) {
                    JsonArray part = reader.readObject().getJsonArray("topics");
                    topics.addAll(part);
                  }
                }
                Map<String, Integer> order = new HashMap<>();
                List<TopicName> names = cluster.topicNames();
                for (int i = 0; i < names.size(); i++) {
                  order.put(names.get(i).value(), i);
                }
                topics.sort(
                    java.util.Comparator.comparingInt(
                        t ->
                            order.getOrDefault(
                                ((JsonObject) t).getString("name", ""), Integer.MAX_VALUE)));
                JsonArrayBuilder array = Json.createArrayBuilder();
                topics.forEach(array::add);
                byte[] body =
                    Json.createObjectBuilder()
                        .add("status", "success")
                        .add("topics", array)
                        .build()
                        .toString()
                        .getBytes(StandardCharsets.UTF_8);
                out.setStatus(200);
                out.setContentType("application/json");
                out.getOutputStream().write(body);
              } catch (IOException e) {
                LOG.log(Level.DEBUG, "Could not answer the cluster's topics", e);
              } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not gather the cluster's topics", e);
                try {
                  HttpServletResponse out = (HttpServletResponse) async.getResponse();
                  out.setStatus(503);
                  out.setContentType("application/json");
                  out.getOutputStream()
                      .write(
                          FailureMapper.body(
                              ErrorCode.UNAVAILABLE,
                              "Could not gather the cluster's topics; try again"));
                } catch (IOException | RuntimeException ignored) {
                  // the client is gone
                }
              } finally {
                async.complete();
              }
            });
  }

  private static void copy(HttpResponse<byte[]> answer, HttpServletResponse out)
      throws IOException {
    out.setStatus(answer.statusCode());
    for (String name : RESPONSE_HEADERS) {
      answer.headers().firstValue(name).ifPresent(value -> out.setHeader(name, value));
    }
    out.getOutputStream().write(answer.body());
  }
}
