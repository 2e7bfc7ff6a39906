package dev.logqueue.broker.http.boundary;

import dev.logqueue.broker.queue.control.Partitions.Gathered;
import dev.logqueue.broker.queue.control.Taken;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the broker's answer bodies (all of them flat objects of strings, numbers, booleans and
 * arrays of strings or numbers) straight to UTF-8 JSON text: cheaper per request than building a
 * JSON-P object for a provider to serialize.
 */
final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder json;

  /** {@code {"status":"success", ...}} */
  JsonText() {
    this("success");
  }

  private JsonText(String status) {
    json = new StringBuilder(64).append("{\"status\":\"").append(status).append('"');
  }

  /** The contract's failure body: {@code {"status":"failure","message":M,"error":E}}. */
  static byte[] failure(ErrorCode error, String message) {
    return new JsonText("failure")
        .string("message", message == null ? error.code() : message)
        .string("error", error.code())
        .toBytes();
  }

  /** Adds {@code ,"name":"value"} with the value escaped. */
  JsonText string(String name, String value) {
    json.append(",\"").append(name).append("\":");
    quote(json, value);
    return this;
  }

  JsonText number(String name, long value) {
    json.append(",\"").append(name).append("\":").append(value);
    return this;
  }

  JsonText bool(String name, boolean value) {
    json.append(",\"").append(name).append("\":").append(value);
    return this;
  }

  JsonText numbers(String name, List<Long> values) {
    json.append(",\"").append(name).append("\":[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(values.get(i).longValue());
    }
    json.append(']');
    return this;
  }

  /**
   * An array of records, each an object (with its {@code delivery} if {@code deliveries}); a
   * dead-lettered copy's with its origin.
   */
  JsonText records(String name, List<Taken.Record> records, boolean deliveries) {
    json.append(",\"").append(name).append("\":[");
    for (int i = 0; i < records.size(); i++) {
      json.append(i > 0 ? ",{" : "{");
      record(records.get(i), deliveries);
    }
    json.append(']');
    return this;
  }

  /** Records of several partitions: each with its {@code partition} first. */
  JsonText records(String name, Gathered gathered) {
    json.append(",\"").append(name).append("\":[");
    boolean first = true;
    for (Gathered.Part part : gathered.parts()) {
      for (Taken.Record record : part.taken().records()) {
        json.append(first ? "{" : ",{").append("\"partition\":").append(part.partition());
        json.append(',');
        record(record, true);
        first = false;
      }
    }
    json.append(']');
    return this;
  }

  /** A record's fields, and the object's end. */
  private void record(Taken.Record record, boolean deliveries) {
    Message message = record.message();
    json.append("\"offset\":").append(record.offset());
    json.append(",\"message\":");
    quote(json, message.text());
    json.append(",\"timestamp\":").append(message.timestamp());
    if (deliveries) {
      json.append(",\"delivery\":").append(record.delivery());
    }
    Message.Origin origin = message.origin();
    if (origin != null) {
      json.append(",\"origin\":{\"topic\":");
      quote(json, origin.topic().value());
      json.append(",\"offset\":").append(origin.offset());
      json.append(",\"deliveries\":").append(origin.deliveries()).append('}');
    }
    json.append('}');
  }

  JsonText strings(String name, List<String> values) {
    json.append(",\"").append(name).append("\":[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      quote(json, values.get(i));
    }
    json.append(']');
    return this;
  }

  byte[] toBytes() {
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259). */
  static void quote(StringBuilder out, String text) {
    out.append('"');
    int n = text.length();
    int from = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(text, from, i);
      from = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      }
    }
    out.append(text, from, n).append('"');
  }
}
