package dev.logqueue.broker.http.boundary;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.CharArrayReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * A request's fields: from its JSON body and, where the contract allows it, its query string. It
 * knows the contract's field names and aliases and turns every malformed or missing field into a
 * {@code bad_request} that says which field is wrong.
 */
public final class JsonRequest {

  private static final JsonParserFactory PARSERS =
      Replies.JSON.createParserFactory(Map.of("org.eclipse.parsson.maxDepth", 64));

  private static final String[] TOPIC = {"topic", "topic_name"};
  private static final String[] NEW_TOPIC = {"name", "topic_name"};
  private static final String[] MESSAGE = {"message", "log_message"};

  private final Map<String, JsonValue> body;
  private final MultivaluedMap<String, String> query;

  private JsonRequest(Map<String, JsonValue> body, MultivaluedMap<String, String> query) {
    this.body = body;
    this.query = query;
  }

  /** A request whose fields are in its JSON body. */
  public static JsonRequest of(byte[] body) {
    return new JsonRequest(parse(body), new MultivaluedHashMap<>());
  }

  /**
   * A request whose fields are in its query string or its JSON body (the query string wins), with
   * or without a body whatever its method: the contract's clients send a body with GET.
   */
  public static JsonRequest of(ContainerRequestContext request) {
    byte[] body;
    try {
      body =
          request.hasEntity()
              ? RequestBody.read(request.getEntityStream(), request.getLength())
              : null;
    } catch (IOException e) {
      throw LogQueueException.badRequest("The body could not be read");
    }
    return new JsonRequest(parse(body), request.getUriInfo().getQueryParameters());
  }

  /** The topic a request is about: {@code topic}, or {@code topic_name}. */
  public TopicName topic() {
    return TopicName.of(text(TOPIC));
  }

  /** The topic POST /topics creates: {@code name}, or {@code topic_name}. */
  public TopicName newTopic() {
    return TopicName.of(text(NEW_TOPIC));
  }

  public ProducerId producerId() {
    return new ProducerId(positive("producer_id"));
  }

  public ConsumerId consumerId() {
    return new ConsumerId(positive("consumer_id"));
  }

  /** The message to append: {@code message}, or {@code log_message}. */
  public String message() {
    return text(MESSAGE);
  }

  /**
   * What a produce appends: the one {@code message} (or {@code log_message}), or the {@code
   * messages} array of strings, never both.
   */
  public List<String> messages() {
    if (!isBatch()) {
      return List.of(message());
    }
    JsonValue batch = body.get("messages");
    for (String single : MESSAGE) {
      if (body.containsKey(single)) {
        throw LogQueueException.badRequest("Send 'messages' or '" + single + "', not both");
      }
    }
    if (!(batch instanceof JsonArray array) || array.isEmpty()) {
      throw LogQueueException.badRequest("Field 'messages' must be a non-empty array of strings");
    }
    List<String> texts = new ArrayList<>(array.size());
    for (JsonValue item : array) {
      if (!(item instanceof JsonString string)) {
        throw LogQueueException.badRequest("Field 'messages' must be an array of strings");
      }
      texts.add(string.getString());
    }
    return texts;
  }

  /**
   * The producer's ids for what a produce appends: none, the one {@code message_id} of a single
   * message, or the {@code message_ids} of a batch, one per message, in order.
   */
  public List<MessageId> messageIds() {
    boolean batch = isBatch();
    String wrong = batch ? "message_id" : "message_ids";
    if (has(wrong)) {
      throw LogQueueException.badRequest(
          batch
              ? "A batch takes 'message_ids', one per message, not 'message_id'"
              : "A single message takes 'message_id', not 'message_ids'");
    }
    if (!batch) {
      String id = textOrNull("message_id");
      return id == null ? List.of() : List.of(MessageId.of(id));
    }
    JsonValue value = body.get("message_ids");
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw LogQueueException.badRequest("Field 'message_ids' must be an array of strings");
    }
    List<MessageId> ids = new ArrayList<>(array.size());
    for (JsonValue item : array) {
      if (!(item instanceof JsonString string)) {
        throw LogQueueException.badRequest("Field 'message_ids' must be an array of strings");
      }
      ids.add(MessageId.of(string.getString()));
    }
    int messages = body.get("messages") instanceof JsonArray texts ? texts.size() : -1;
    if (ids.size() != messages) {
      throw LogQueueException.badRequest(
          "Field 'message_ids' must have one id per message: "
              + ids.size()
              + " ids for "
              + messages
              + " messages");
    }
    return ids;
  }

  /** Whether the request is a batch: it has {@code messages}. */
  public boolean isBatch() {
    JsonValue batch = body.get("messages");
    return batch != null && batch.getValueType() != JsonValue.ValueType.NULL;
  }

  /** An optional string field. */
  public Optional<String> optionalText(String name) {
    return Optional.ofNullable(textOrNull(name));
  }

  /** An optional whole number within bounds: a JSON integer, or a string of digits. */
  public Optional<Long> whole(String name, long min, long max) {
    Supplier<LogQueueException> invalid =
        () ->
            LogQueueException.badRequest(
                "Field '" + name + "' must be an integer from " + min + " to " + max);
    Long number = wholeNumber(name, invalid);
    if (number == null) {
      return Optional.empty();
    }
    if (number < min || number > max) {
      throw invalid.get();
    }
    return Optional.of(number);
  }

  /** An optional array of offsets (integers from 0) in the body; empty if absent. */
  public List<Long> offsets(String name) {
    JsonValue value = body.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return List.of();
    }
    LogQueueException invalid =
        LogQueueException.badRequest(
            "Field '" + name + "' must be an array of offsets (integers from 0)");
    if (!(value instanceof JsonArray array)) {
      throw invalid;
    }
    List<Long> offsets = new ArrayList<>(array.size());
    for (JsonValue item : array) {
      if (!(item instanceof JsonNumber number)) {
        throw invalid;
      }
      try {
        long offset = number.bigDecimalValue().longValueExact();
        if (offset < 0) {
          throw invalid;
        }
        offsets.add(offset);
      } catch (ArithmeticException e) {
        throw invalid;
      }
    }
    return offsets;
  }

  /** Whether the body has this field set to JSON {@code null}. */
  public boolean isNull(String name) {
    JsonValue value = body.get(name);
    return value != null && value.getValueType() == JsonValue.ValueType.NULL;
  }

  /** Whether the body has this field, null or not. */
  public boolean present(String name) {
    return body.containsKey(name);
  }

  /** Whether the request has this field, in its query string or its body (and not null). */
  public boolean has(String name) {
    JsonValue value = body.get(name);
    return query.getFirst(name) != null
        || (value != null && value.getValueType() != JsonValue.ValueType.NULL);
  }

  /**
   * A field that is a string or a whole number: {@code start} ("earliest", "latest" or an offset).
   * Empty if absent; the text of a string, or the number as digits.
   */
  public Optional<String> textOrNumber(String name) {
    String fromQuery = query.getFirst(name);
    if (fromQuery != null) {
      return Optional.of(fromQuery);
    }
    JsonValue value = body.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (value instanceof JsonString string) {
      return Optional.of(string.getString());
    }
    if (value instanceof JsonNumber number && number.isIntegral()) {
      return Optional.of(number.bigDecimalValue().toBigInteger().toString());
    }
    throw LogQueueException.badRequest("Field '" + name + "' must be a string or an integer");
  }

  /** {@code partition} (0 to {@value Partition#MAX} - 1), in the query string or the body. */
  public OptionalInt partition() {
    return integer("partition", 0, Partition.MAX - 1)
        .map(OptionalInt::of)
        .orElse(OptionalInt.empty());
  }

  /**
   * {@link #partition()}, else the partition a member of the cluster chose for the request ({@code
   * chosen}, from its header; null if none).
   */
  public OptionalInt partition(String chosen) {
    OptionalInt named = partition();
    if (named.isPresent() || chosen == null) {
      return named;
    }
    return OptionalInt.of(Partition.parse(chosen));
  }

  /** An optional integer field within bounds: a JSON integer, or a string of digits. */
  public Optional<Integer> integer(String name, int min, int max) {
    Long number = wholeNumber(name, () -> outOfRange(name, min, max));
    if (number == null) {
      return Optional.empty();
    }
    if (number < min || number > max) {
      throw outOfRange(name, min, max);
    }
    return Optional.of(number.intValue());
  }

  /**
   * A whole-number field from the query string or the body, null if absent: a JSON integer, or a
   * string of digits ("7" is 7); anything else is refused with {@code invalid}.
   */
  private Long wholeNumber(String name, Supplier<LogQueueException> invalid) {
    String fromQuery = query.getFirst(name);
    JsonValue value = fromQuery != null ? Replies.JSON.createValue(fromQuery) : body.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    try {
      if (value instanceof JsonNumber number) {
        return number.bigDecimalValue().longValueExact();
      } else if (value instanceof JsonString string && isDigits(string.getString())) {
        return Long.parseLong(string.getString());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw invalid.get();
    }
    throw invalid.get();
  }

  private static LogQueueException outOfRange(String name, int min, int max) {
    return LogQueueException.badRequest(
        "Field '" + name + "' must be an integer from " + min + " to " + max);
  }

  /** The body's fields, by name; each name once. */
  private static Map<String, JsonValue> parse(byte[] body) {
    if (body == null || body.length == 0) {
      return Map.of();
    }
    CharBuffer chars;
    try {
      chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw LogQueueException.badRequest("The body is not valid UTF-8");
    }
    // chars the parser had accepted when it last gave an event: where a failure begins
    long accepted = 0;
    try (JsonParser parser =
        PARSERS.createParser(new CharArrayReader(chars.array(), 0, chars.limit()))) {
      if (parser.next() != JsonParser.Event.START_OBJECT) {
        throw LogQueueException.badRequest("The body must be a JSON object");
      }
      accepted = parser.getLocation().getStreamOffset();
      Map<String, JsonValue> fields = new HashMap<>();
      while (parser.next() == JsonParser.Event.KEY_NAME) {
        accepted = parser.getLocation().getStreamOffset();
        String name = parser.getString();
        if (fields.containsKey(name)) {
          throw LogQueueException.badRequest("Field '" + name + "' is given twice");
        }
        parser.next();
        fields.put(name, parser.getValue());
        accepted = parser.getLocation().getStreamOffset();
      }
      if (parser.hasNext()) {
        throw LogQueueException.badRequest("The body holds more than one JSON value");
      }
      return fields;
    } catch (JsonParsingException e) {
      throw LogQueueException.badRequest(
          "The body is not valid JSON (" + unreadableFrom(chars, accepted) + ")");
    } catch (LogQueueException e) {
      throw e;
    } catch (RuntimeException e) {
      // JsonException, NoSuchElementException, and what the parser throws past its nesting limit
      throw LogQueueException.badRequest("The body is not valid JSON");
    }
  }

  /**
   * Where the JSON stops being readable: the first token after what the parser accepted (past one
   * separator, which it takes with the token that follows). Not the parser's own location: past the
   * end of a short body it reports columns the body does not have, and within it the end of the bad
   * token rather than its start.
   */
  static String unreadableFrom(CharBuffer chars, long accepted) {
    int at = skipWhitespace(chars, (int) Math.min(accepted, chars.limit()));
    if (at < chars.limit() && (chars.get(at) == ',' || chars.get(at) == ':')) {
      at = skipWhitespace(chars, at + 1);
    }
    if (at >= chars.limit()) {
      return "at the end, after " + chars.limit() + " characters";
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < at; i++) {
      if (chars.get(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "at line " + line + ", column " + (at - lineStart + 1);
  }

  private static int skipWhitespace(CharBuffer chars, int from) {
    int at = from;
    while (at < chars.limit() && " \t\r\n".indexOf(chars.get(at)) >= 0) {
      at++;
    }
    return at;
  }

  /** A string field, given under one of its names; two names with different values is an error. */
  private String text(String... names) {
    String found = null;
    String foundName = null;
    for (String name : names) {
      String value = textOrNull(name);
      if (value == null) {
        continue;
      }
      if (found != null && !found.equals(value)) {
        throw LogQueueException.badRequest(
            "Fields '" + foundName + "' and '" + name + "' disagree; send one of them");
      }
      found = value;
      foundName = name;
    }
    if (found == null) {
      throw missing(names);
    }
    return found;
  }

  private String textOrNull(String name) {
    String fromQuery = query.getFirst(name);
    if (fromQuery != null) {
      return fromQuery;
    }
    JsonValue value = body.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value instanceof JsonString string) {
      return string.getString();
    }
    throw LogQueueException.badRequest("Field '" + name + "' must be a string");
  }

  /** A positive integer: a JSON integer, or a string of digits ("7" is 7). */
  private long positive(String name) {
    Long id = wholeNumber(name, () -> notPositive(name));
    if (id == null) {
      throw missing(name);
    }
    if (id < 1) {
      throw notPositive(name);
    }
    return id;
  }

  /** An id in a request's path: a positive integer, else 400. */
  public static long pathId(String what, String text) {
    try {
      if (isDigits(text)) {
        long id = Long.parseLong(text);
        if (id >= 1) {
          return id;
        }
      }
    } catch (NumberFormatException e) {
      // beyond a long: refused below
    }
    throw LogQueueException.badRequest("The " + what + " in the path must be a positive integer");
  }

  private static boolean isDigits(String text) {
    if (text.isEmpty() || text.length() > 19) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static LogQueueException notPositive(String name) {
    return LogQueueException.badRequest(
        "Field '" + name + "' must be a positive integer (a number, or a string of digits)");
  }

  private static LogQueueException missing(String... names) {
    List<String> quoted = new ArrayList<>();
    for (String name : names) {
      quoted.add("'" + name + "'");
    }
    return LogQueueException.badRequest("Missing field " + String.join(" or ", quoted));
  }
}
