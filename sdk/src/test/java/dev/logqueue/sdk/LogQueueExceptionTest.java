package dev.logqueue.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class LogQueueExceptionTest {

  @Test
  void eachErrorCodeHasItsException() {
    assertInstanceOf(
        TopicNotFoundException.class, LogQueueException.of(404, "topic_not_found", "m"));
    assertInstanceOf(TopicExistsException.class, LogQueueException.of(409, "topic_exists", "m"));
    assertInstanceOf(
        ClientNotFoundException.class, LogQueueException.of(404, "producer_not_found", "m"));
    assertInstanceOf(
        ClientNotFoundException.class, LogQueueException.of(404, "consumer_not_found", "m"));
    assertInstanceOf(
        TopicMismatchException.class, LogQueueException.of(403, "producer_topic_mismatch", "m"));
    assertInstanceOf(
        TopicMismatchException.class, LogQueueException.of(403, "consumer_topic_mismatch", "m"));
    assertInstanceOf(QueueEmptyException.class, LogQueueException.of(404, "queue_empty", "m"));
    assertInstanceOf(
        MessageTooLargeException.class, LogQueueException.of(413, "message_too_large", "m"));
    assertInstanceOf(InvalidRequestException.class, LogQueueException.of(400, "bad_request", "m"));
    assertInstanceOf(InvalidRequestException.class, LogQueueException.of(404, "not_found", "m"));
    assertInstanceOf(
        InvalidRequestException.class, LogQueueException.of(405, "method_not_allowed", "m"));
    assertInstanceOf(
        BrokerUnavailableException.class, LogQueueException.of(503, "unavailable", "m"));
  }

  @Test
  void unknownCodesKeepStatusCodeAndMessage() {
    LogQueueException e = LogQueueException.of(418, "teapot", "short and stout");
    assertEquals(LogQueueException.class, e.getClass());
    assertEquals(418, e.status());
    assertEquals("teapot", e.error());
    assertEquals("short and stout", e.getMessage());
    assertInstanceOf(BrokerUnavailableException.class, LogQueueException.of(502, null, "proxy"));
  }
}
