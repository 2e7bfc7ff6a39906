package dev.logqueue.broker.cluster.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a request names its topic, as the member that forwards it reads it. */
class ForwardingTest {

  static Optional<String> body(String json, boolean nameIsTopic) {
    return Forwarding.bodyTopic(json.getBytes(StandardCharsets.UTF_8), nameIsTopic);
  }

  @Test
  void theBodysTopLevelTopicFieldNamesTheTopic() {
    assertEquals(Optional.of("logs"), body("{\"topic\":\"logs\",\"producer_id\":1}", false));
    assertEquals(Optional.of("logs"), body("{\"producer_id\":1,\"topic_name\":\"logs\"}", false));
    assertEquals(
        Optional.of("logs"),
        body("{\"messages\":[{\"topic\":\"inner\"}],\"topic\":\"logs\"}", false),
        "a nested field is not the request's topic");
    assertEquals(
        Optional.of("logs"),
        body("{\"name\":\"workers\",\"topic\":\"logs\"}", false),
        "a consumer's name is not a topic");
    assertEquals(Optional.of("new"), body("{\"name\":\"new\"}", true), "POST /topics");
  }

  @Test
  void aBodyWithoutATopicOrNotJsonNamesNone() {
    assertEquals(Optional.empty(), body("{\"topic\":7}", false));
    assertEquals(Optional.empty(), body("[\"topic\",\"logs\"]", false));
    assertEquals(Optional.empty(), body("{\"topic\":", false));
    assertEquals(Optional.empty(), body("not json", false));
    assertEquals(Optional.empty(), Forwarding.bodyTopic(new byte[0], false));
  }

  @Test
  void thePathAndTheQueryNameTheTopic() {
    assertEquals(Optional.of("a.b"), Forwarding.pathTopic("/topics/a.b/messages"));
    assertEquals(Optional.of("a b"), Forwarding.pathTopic("/topics/a%20b"));
    assertEquals(Optional.empty(), Forwarding.pathTopic("/topics"));
    assertEquals(Optional.of("logs"), Forwarding.queryTopic("consumer_id=3&topic=logs"));
    assertEquals(Optional.of("logs"), Forwarding.queryTopic("topic_name=logs"));
    assertEquals(Optional.empty(), Forwarding.queryTopic("consumer_id=3"));
    assertTrue(Forwarding.hasTopicField("/consumer/consume"));
    assertTrue(Forwarding.hasTopicField("/size"));
    assertFalse(Forwarding.hasTopicField("/health/ready"));
    assertFalse(Forwarding.hasTopicField("/cluster"));
  }
}
