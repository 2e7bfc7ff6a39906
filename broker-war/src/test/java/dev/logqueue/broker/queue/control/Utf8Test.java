package dev.logqueue.broker.queue.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void countsLikeTheEncoder() {
    for (String text : new String[] {"", "abc", "é", "€", "😀", "a😀é€\u0000", "\u07ff\u0800"}) {
      assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8.length(text), text);
    }
  }

  @Test
  void loneSurrogatesAreNotUnicode() {
    assertEquals(-1, Utf8.length("a\ud83d"));
    assertEquals(-1, Utf8.length("\ude00a"));
    assertEquals(-1, Utf8.length("\ud83d\ud83d"));
  }
}
