package dev.logqueue.broker.http.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.MessageId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRequestTest {

  static JsonRequest body(String json) {
    return JsonRequest.of(json.getBytes(StandardCharsets.UTF_8));
  }

  static String refusal(Runnable call) {
    LogQueueException refused = assertThrows(LogQueueException.class, call::run);
    assertEquals(ErrorCode.BAD_REQUEST, refused.error());
    return refused.getMessage();
  }

  @Test
  void readsTheContractsFieldsUnderEitherName() {
    assertEquals("t", body("{\"topic\":\"t\"}").topic().value());
    assertEquals("t", body("{\"topic_name\":\"t\"}").topic().value());
    assertEquals("t", body("{\"topic\":\"t\",\"topic_name\":\"t\"}").topic().value());
    assertEquals("n", body("{\"name\":\"n\"}").newTopic().value());
    assertEquals("n", body("{\"topic_name\":\"n\"}").newTopic().value());
    assertEquals("m", body("{\"message\":\"m\"}").message());
    assertEquals("m", body("{\"log_message\":\"m\"}").message());
    assertEquals("", body("{\"message\":\"\"}").message());
    assertEquals("a\u0000b", body("{\"message\":\"a\\u0000b\"}").message());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"topic\":\"logs\"|at the end, after 15 characters",
        "{\"topic\":|at the end, after 9 characters",
        "{\"topic\" \"logs\"}|at line 1, column 10",
        "{\"topic\":\"logs\",,}|at line 1, column 17",
        "{\n  \"topic\": x\n}|at line 2, column 12"
      })
  void aParseErrorSaysWhereItIs(String bodyAndPlace) {
    String[] parts = bodyAndPlace.split("\\|");
    String message = refusal(() -> body(parts[0]));
    assertTrue(message.endsWith("(" + parts[1] + ")"), message);
  }

  @Test
  void idsAreIntegersOrStringsOfDigits() {
    assertEquals(7, body("{\"producer_id\":7}").producerId().value());
    assertEquals(7, body("{\"producer_id\":\"7\"}").producerId().value());
    assertEquals(7, body("{\"consumer_id\":7.0}").consumerId().value());
    assertEquals(
        Long.MAX_VALUE, body("{\"consumer_id\":9223372036854775807}").consumerId().value());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-1",
        "1.5",
        "\"-1\"",
        "\"7a\"",
        "\" 7\"",
        "\"\"",
        "true",
        "null",
        "[7]",
        "{}",
        "9223372036854775808",
        "\"99999999999999999999\"",
        "1e400"
      })
  void anythingElseIsABadId(String id) {
    String message = refusal(() -> body("{\"producer_id\":" + id + "}").producerId());
    assertTrue(message.contains("producer_id"), message);
  }

  @Test
  void missingFieldsAndWrongTypesSayWhichField() {
    assertTrue(refusal(() -> body("{}").topic()).contains("'topic' or 'topic_name'"));
    assertTrue(refusal(() -> body("{\"topic\":null}").topic()).contains("Missing"));
    assertTrue(refusal(() -> body("{\"topic\":5}").topic()).contains("'topic' must be a string"));
    assertTrue(refusal(() -> body("{\"message\":[\"x\"]}").message()).contains("'message'"));
    assertTrue(refusal(() -> body("").message()).contains("Missing field"));
    assertTrue(
        refusal(() -> body("{\"topic\":\"a\",\"topic_name\":\"b\"}").topic()).contains("disagree"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "{\"topic\":",
        "nope",
        "{\"topic\":\"t\"}}",
        "[]",
        "\"topic\"",
        "42",
        "null",
        "{\"topic\":\"t\",\"topic\":\"u\"}"
      })
  void aBodyThatIsNotOneJsonObjectIsRefused(String json) {
    refusal(() -> body(json));
  }

  @Test
  void deepNestingAndInvalidUtf8AreRefused() {
    refusal(() -> body("{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
    byte[] invalid = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertTrue(refusal(() -> JsonRequest.of(invalid)).contains("UTF-8"));
  }

  @Test
  void aProduceCarriesOneMessageOrABatchNeverBoth() {
    assertEquals(java.util.List.of("m"), body("{\"message\":\"m\"}").messages());
    assertEquals(java.util.List.of("a", "b"), body("{\"messages\":[\"a\",\"b\"]}").messages());
    assertTrue(body("{\"messages\":[\"a\"]}").isBatch());
    refusal(() -> body("{\"messages\":[]}").messages());
    refusal(() -> body("{\"messages\":[\"a\",1]}").messages());
    refusal(() -> body("{\"messages\":\"a\"}").messages());
    refusal(() -> body("{\"messages\":[\"a\"],\"message\":\"b\"}").messages());
    refusal(() -> body("{\"messages\":[\"a\"],\"log_message\":\"b\"}").messages());
  }

  @Test
  void messageIdsAreOnePerMessageOfPrintableAscii() {
    assertEquals(java.util.List.of(), body("{\"message\":\"m\"}").messageIds());
    assertEquals(
        java.util.List.of(MessageId.of("id 1")),
        body("{\"message\":\"m\",\"message_id\":\"id 1\"}").messageIds());
    assertEquals(
        java.util.List.of(MessageId.of("a"), MessageId.of("b")),
        body("{\"messages\":[\"x\",\"y\"],\"message_ids\":[\"a\",\"b\"]}").messageIds());
    assertEquals(java.util.List.of(), body("{\"messages\":[\"x\"]}").messageIds());
    assertTrue(
        refusal(() -> body("{\"messages\":[\"x\",\"y\"],\"message_ids\":[\"a\"]}").messageIds())
            .contains("one id per message"));
    refusal(() -> body("{\"messages\":[\"x\"],\"message_ids\":[1]}").messageIds());
    refusal(() -> body("{\"messages\":[\"x\"],\"message_ids\":\"a\"}").messageIds());
    refusal(() -> body("{\"messages\":[\"x\"],\"message_id\":\"a\"}").messageIds());
    refusal(() -> body("{\"message\":\"x\",\"message_ids\":[\"a\"]}").messageIds());
    refusal(() -> body("{\"message\":\"x\",\"message_id\":\"\"}").messageIds());
    refusal(() -> body("{\"message\":\"x\",\"message_id\":\"\u00e9\"}").messageIds());
    refusal(
        () -> body("{\"message\":\"x\",\"message_id\":\"" + "a".repeat(129) + "\"}").messageIds());
    assertEquals(
        1,
        body("{\"message\":\"x\",\"message_id\":\"" + "~".repeat(128) + "\"}").messageIds().size());
  }

  @Test
  void boundedIntegersComeFromNumbersOrDigits() {
    assertEquals(java.util.Optional.of(5), body("{\"max\":5}").integer("max", 1, 1000));
    assertEquals(
        java.util.Optional.of(0), body("{\"wait_ms\":\"0\"}").integer("wait_ms", 0, 30000));
    assertEquals(java.util.Optional.empty(), body("{}").integer("max", 1, 1000));
    for (String bad : new String[] {"0", "1001", "-1", "1.5", "\"x\"", "true", "99999999999"}) {
      refusal(() -> body("{\"max\":" + bad + "}").integer("max", 1, 1000));
    }
  }

  @Test
  void topicNamesFollowTheRule() {
    assertEquals("A-z_0.9", body("{\"topic\":\"A-z_0.9\"}").topic().value());
    assertEquals(249, body("{\"topic\":\"" + "t".repeat(249) + "\"}").topic().value().length());
    for (String bad : new String[] {"", "a b", "a/b", "é", "t".repeat(250), "a\\u0000", "a;--"}) {
      refusal(() -> body("{\"topic\":\"" + bad + "\"}").topic());
    }
  }
}
