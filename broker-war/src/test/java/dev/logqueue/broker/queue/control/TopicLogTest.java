package dev.logqueue.broker.queue.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.logqueue.broker.queue.entity.Message;
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
    return new TopicLog(new TopicId(1), TopicName.of("t"), end, 0, settings);
  }

  @Test
  void theWindowKeepsTheLastMessagesByCount() {
    TopicLog log = log(0, 3, Long.MAX_VALUE);
    log.append(messages(List.of("a", "b")));
    log.append(messages(List.of("c", "d", "e")));
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
    IntStream.range(0, 5_000).forEach(i -> log.append(messages(List.of(Integer.toString(i % 10)))));
    assertEquals(5_100, log.end());
    assertEquals(5_100 - 10, log.windowStart(), "ten messages of about 81 bytes fit");
    for (long offset = log.windowStart(); offset < log.end(); offset++) {
      assertEquals(Long.toString((offset - 100) % 10), text(log.fromWindow(offset)));
    }
  }

  @Test
  void aMessageLargerThanTheWindowIsNotKept() {
    TopicLog log = log(0, 10, 100);
    log.append(messages(List.of("x".repeat(1000))));
    assertEquals(1, log.end());
    assertEquals(1, log.windowStart());
  }
}
