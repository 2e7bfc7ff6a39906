package dev.logqueue.broker.http.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  static JsonObject read(byte[] json) {
    return Json.createReader(new ByteArrayInputStream(json)).readObject();
  }

  @Test
  void anyTextRoundTripsThroughAJsonParser() {
    Random random = new Random(42);
    List<String> texts =
        new ArrayList<>(List.of("", "plain", "\"q\" \\ /", "\u0000\u001f\n\r\t\b\f", "é€😀\u2028"));
    for (int i = 0; i < 500; i++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(40); k > 0; k--) {
        int cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x10ffff);
        if (cp < 0xd800 || cp > 0xdfff) {
          text.appendCodePoint(cp);
        }
      }
      texts.add(text.toString());
    }
    for (String text : texts) {
      JsonObject single =
          read(new JsonText().string("message", text).string("log_message", text).toBytes());
      assertEquals("success", single.getString("status"));
      assertEquals(text, single.getString("message"));
      assertEquals(text, single.getString("log_message"));
    }
    JsonObject batch = read(new JsonText().strings("messages", texts).toBytes());
    assertEquals(texts, batch.getJsonArray("messages").getValuesAs(JsonString::getString));
    assertEquals(7, read(new JsonText().number("appended", 7).toBytes()).getInt("appended"));
    assertEquals("{\"status\":\"success\"}", new String(new JsonText().toBytes()));
  }
}
