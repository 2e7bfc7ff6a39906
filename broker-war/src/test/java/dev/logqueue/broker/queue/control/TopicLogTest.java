package dev.logqueue.broker.queue.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopicLogTest {

  static List<Message> messages(List<String> texts) {
    return texts.stream().map(text -> Message.of(text, 0)).toList();
  }

  static String text(Message message) {
    return message == null ? null : message.text();
  }

  /** A topic log with this end and window bound. */
  static TopicLog log(long end, int windowMessages, long windowBytes) {
    QueueSettings settings = QueueSettings.defaults().withWindow(windowMessages, windowBytes);
    return new TopicLog(
        new TopicId(1),
        TopicName.of("t"),
        Retention.DEFAULTS,
        new TopicLog.Range(end, 0, 0, end, 0),
        0,
        settings);
  }

  static void append(TopicLog log, List<String> texts) {
    log.append(messages(texts), texts.stream().mapToLong(Utf8::length).sum());
  }

  @Test
  void theWindowKeepsTheLastMessagesByCount() {
    TopicLog log = log(0, 3, Long.MAX_VALUE);
    append(log, List.of("a", "b"));
    append(log, List.of("c", "d", "e"));
    assertEquals(5, log.end());
    assertEquals(2, log.windowStart());
    assertNull(text(log.fromWindow(1)));
    assertEquals("c", text(log.fromWindow(2)));
    assertEquals("e", text(log.fromWindow(4)));
    assertNull(text(log.fromWindow(5)));
  }

  @Test
  void theWindowKeepsItsByteBoundAndStaysCorrectAcrossCompaction() {
    TopicLog log = log(100, 1_000_000, 10 * 81);
    IntStream.range(0, 5_000).forEach(i -> append(log, List.of(Integer.toString(i % 10))));
    assertEquals(5_100, log.end());
    assertEquals(5_100 - 10, log.windowStart(), "ten messages of about 81 bytes fit");
    for (long offset = log.windowStart(); offset < log.end(); offset++) {
      assertEquals(Long.toString((offset - 100) % 10), text(log.fromWindow(offset)));
    }
  }

  @Test
  void aMessageLargerThanTheWindowIsNotKept() {
    TopicLog log = log(0, 10, 100);
    append(log, List.of("x".repeat(1000)));
    assertEquals(1, log.end());
    assertEquals(1, log.windowStart());
  }

  @Test
  void theRangeCountsMessagesAndBytesAndRetentionDropsTheWindowBelowItsStart() {
    TopicLog log = log(0, 100, Long.MAX_VALUE);
    log.append(List.of(Message.of("ab", 7), Message.of("cde", 8)), 5);
    append(log, List.of("fgh", "é"));
    TopicLog.Range range = log.range();
    assertEquals(0, range.start());
    assertEquals(7, range.startTime(), "when the first message was appended");
    assertEquals(4, range.messages());
    assertEquals(10, range.bytes(), "UTF-8: é is 2 bytes");

    log.retainFrom(2, 5, 0);
    assertEquals(2, log.start());
    assertEquals(2, log.windowStart(), "the window holds nothing below the start");
    assertNull(log.fromWindow(1));
    assertEquals("fgh", text(log.fromWindow(2)));
    assertEquals(5, log.range().bytes());
    assertEquals(2, log.range().messages());

    log.retainFrom(1, 2, 0);
    assertEquals(2, log.start(), "never back");
    log.retainFrom(4, 10, 0);
    assertEquals(0, log.range().messages());
    assertEquals(0, log.range().startTime(), "no message at the start");
    log.append(List.of(Message.of("x", 42)), 1);
    assertEquals(42, log.range().startTime(), "the first message appended after is the start's");
    assertEquals(5, log.end());
  }
}
