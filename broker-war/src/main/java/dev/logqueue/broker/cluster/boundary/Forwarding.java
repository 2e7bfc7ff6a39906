package dev.logqueue.broker.cluster.boundary;

import dev.logqueue.broker.cluster.control.Cluster;
import dev.logqueue.broker.cluster.control.Cluster.Route;
import dev.logqueue.broker.http.boundary.FailureMapper;
import dev.logqueue.broker.queue.control.Partitions;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In a cluster, a request for a topic that another member serves goes to that member, and its
 * answer comes back as it is: any member serves any client. The topic is the path's ({@code
 * /topics/{name}...}), or the query string's or the JSON body's {@code topic} ({@code topic_name}).
 * A forwarded request is served where it arrives, never forwarded again (a member that does not
 * serve its topic then answers 503, and the client retries once the cluster has settled). Requests
 * without a topic, and every request of a single broker, pass through.
 *
 * <p>A request that names a partition above 0 ({@code partition}, in the query string or the body)
 * goes to the member that serves that partition's log. A produce to a topic of several partitions
 * that names none gets one here (its {@code key}'s, else the next in turn), which travels with it
 * in the header {@value Forwarder#PARTITION}.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class Forwarding extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject transient Cluster cluster;
  @Inject transient Forwarder forwarder;
  @Inject transient Partitions partitions;

  @Inject
  @ConfigProperty(name = "logqueue.request.max-bytes", defaultValue = "8388608")
  transient long maxBytes;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!cluster.isClustered() || request.getHeader(Forwarder.FORWARDED) != null) {
      chain.doFilter(request, response);
      return;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.equals("/topics") && "GET".equals(request.getMethod())) {
      if ("true".equals(queryValue(request.getQueryString(), "details"))) {
        forwarder.gather(request, response);
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    Optional<String> named = pathTopic(path);
    byte[] body = null;
    BodyFields fields = BodyFields.NONE;
    if (named.isEmpty() && hasTopicField(path)) {
      named = queryTopic(request.getQueryString());
      if (named.isEmpty()) {
        body = readBody(request);
        fields = bodyFields(body, path.equals("/topics"));
        named = fields.topic();
      }
    }
    HttpServletRequest onward = body == null ? request : new Replayed(request, body);
    if (named.isEmpty() || !TopicName.isValid(named.get())) {
      chain.doFilter(onward, response); // no topic, or a bad one: this member answers as alone
      return;
    }
    TopicName topic = TopicName.of(named.get());
    Optional<String> problem = cluster.problem();
    if (problem.isPresent()) {
      // at once, not after the reload that drops its slots: the other side may serve them now
      unavailable(response, "This member of the cluster " + problem.get() + "; try another member");
      return;
    }
    OptionalInt partition = queryPartition(request.getQueryString());
    if (partition.isEmpty()) {
      partition = fields.partition();
    }
    TopicName log = topic;
    String chosen = null;
    try {
      if (partition.isEmpty() && path.equals("/producer/produce")) {
        Partitions.Layout layout = partitions.layout(topic);
        if (layout.isPartitioned()) {
          int number = partitions.choose(layout, OptionalInt.empty(), fields.key());
          chosen = Integer.toString(number);
          log = layout.log(number);
        }
      } else if (partition.isPresent() && partition.getAsInt() > 0) {
        log = partitions.layout(topic).log(partition.getAsInt());
      }
    } catch (LogQueueException e) {
      // no such topic or partition: served here, where the queue says so
      chain.doFilter(onward, response);
      return;
    }
    if (chosen != null) {
      onward = new Chosen(onward, chosen);
    }
    Optional<Route> route = cluster.route(log);
    if (route.isEmpty()) {
      chain.doFilter(onward, response);
      return;
    }
    forwarder.forward(onward, response, body, route.get().url(), topic);
  }

  /** {@code partition} in the query string, if it is a number (else the queue refuses it). */
  static OptionalInt queryPartition(String query) {
    return number(queryValue(query, "partition"));
  }

  /** A partition's number; empty if absent or not one (the member that serves says why). */
  private static OptionalInt number(String text) {
    if (text == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Partition.parse(text));
    } catch (LogQueueException notOne) {
      return OptionalInt.empty();
    }
  }

  /** {@code /topics/{name}} and below: the name, decoded. */
  static Optional<String> pathTopic(String path) {
    if (!path.startsWith("/topics/")) {
      return Optional.empty();
    }
    String rest = path.substring("/topics/".length());
    int slash = rest.indexOf('/');
    String segment = slash < 0 ? rest : rest.substring(0, slash);
    return segment.isEmpty()
        ? Optional.empty()
        : Optional.of(URLDecoder.decode(segment, StandardCharsets.UTF_8));
  }

  /** The paths whose requests name their topic in the query string or the body. */
  static boolean hasTopicField(String path) {
    return path.equals("/topics")
        || path.startsWith("/producer/")
        || path.startsWith("/consumer/")
        || path.equals("/size");
  }

  static Optional<String> queryTopic(String query) {
    String topic = queryValue(query, "topic");
    if (topic == null) {
      topic = queryValue(query, "topic_name");
    }
    return Optional.ofNullable(topic);
  }

  static String queryValue(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key =
          URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return equals < 0
            ? ""
            : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** What routing reads of a JSON body: its topic, partition and key, where it has them. */
  record BodyFields(Optional<String> topic, OptionalInt partition, Optional<String> key) {
    static final BodyFields NONE =
        new BodyFields(Optional.empty(), OptionalInt.empty(), Optional.empty());
  }

  /** The body's topic: see {@link #bodyFields}. */
  static Optional<String> bodyTopic(byte[] body, boolean nameIsTopic) {
    return bodyFields(body, nameIsTopic).topic();
  }

  /**
   * The body's top-level {@code topic} (or {@code topic_name}; or {@code name}, where it names the
   * topic, as POST /topics has it) if it is a string, {@code partition} if it is a whole number (or
   * a string of digits), {@code key} if it is a string; empty for anything else (not JSON, too
   * large, no such field).
   */
  static BodyFields bodyFields(byte[] body, boolean nameIsTopic) {
    if (body == null || body.length == 0) {
      return BodyFields.NONE;
    }
    String found = null;
    String partition = null;
    String keyText = null;
    try (JsonParser parser = Json.createParser(new ByteArrayInputStream(body))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        return BodyFields.NONE;
      }
      int depth = 1;
      String key = null;
      while (parser.hasNext() && depth > 0) {
        JsonParser.Event event = parser.next();
        switch (event) {
          case KEY_NAME -> key = depth == 1 ? parser.getString() : null;
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case VALUE_STRING -> {
            if (depth == 1
                && key != null
                && found == null
                && (key.equals("topic")
                    || key.equals("topic_name")
                    || (nameIsTopic && key.equals("name")))) {
              found = parser.getString();
            } else if (depth == 1 && "partition".equals(key)) {
              partition = parser.getString();
            } else if (depth == 1 && "key".equals(key)) {
              keyText = parser.getString();
            }
          }
          case VALUE_NUMBER -> {
            if (depth == 1 && "partition".equals(key) && parser.isIntegralNumber()) {
              partition = parser.getString();
            }
          }
          default -> {
            // booleans, null: nothing routing reads
          }
        }
      }
    } catch (JsonParsingException | IllegalStateException e) {
      return BodyFields.NONE;
    }
    return new BodyFields(
        Optional.ofNullable(found), number(partition), Optional.ofNullable(keyText));
  }

  /** Up to the limit and one byte more (over it, the member that serves answers 413). */
  private byte[] readBody(HttpServletRequest request) throws IOException {
    InputStream in = request.getInputStream();
    return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
  }

  static void unavailable(HttpServletResponse response, String message) throws IOException {
    response.setStatus(503);
    response.setHeader("Retry-After", "1");
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(FailureMapper.body(ErrorCode.UNAVAILABLE, message));
  }

  /** The request with the partition this member chose for it, in a header. */
  private static final class Chosen extends HttpServletRequestWrapper {
    private final String partition;

    Chosen(HttpServletRequest request, String partition) {
      super(request);
      this.partition = partition;
    }

    @Override
    public String getHeader(String name) {
      return Forwarder.PARTITION.equalsIgnoreCase(name) ? partition : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Forwarder.PARTITION.equalsIgnoreCase(name)
          ? Collections.enumeration(List.of(partition))
          : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
      if (names.stream().noneMatch(Forwarder.PARTITION::equalsIgnoreCase)) {
        names.add(Forwarder.PARTITION);
      }
      return Collections.enumeration(names);
    }
  }

  /** The request with its body read once already: served again from memory, then the rest. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] body;
    private ServletInputStream replay;

    Replayed(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
      if (replay == null) {
        replay =
            replay(new SequenceInputStream(new ByteArrayInputStream(body), super.getInputStream()));
      }
      return replay;
    }

    private static ServletInputStream replay(InputStream in) {
      return new ServletInputStream() {
        private boolean finished;

        @Override
        public int read() throws IOException {
          int b = in.read();
          finished = b < 0;
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = in.read(buffer, offset, length);
          finished = n < 0;
          return n;
        }

        @Override
        public boolean isFinished() {
          return finished;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("The body was read already");
        }
      };
    }
  }
}
