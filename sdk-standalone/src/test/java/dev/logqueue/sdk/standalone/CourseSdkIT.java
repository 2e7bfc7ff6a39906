package dev.logqueue.sdk.standalone;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Course;
import dev.logqueue.testkit.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The original end-to-end test (5 producers, 3 consumers, 3 topics), entirely through the SDK. */
class CourseSdkIT {

  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void everyConsumerGetsEveryMessageOfItsTopicsOnceInOneOrder() throws Exception {
    broker = Broker.on(Database.h2()).start();
    String url = broker.uri().toString();
    try (Producer setup = Producer.builder(url).build()) {
      List.of("T-1", "T-2", "T-3").forEach(setup::createTopic);
    }
    Map<String, Map<String, List<String>>> received = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> consumers = new ArrayList<>();
    for (var subscription : Course.CONSUMERS.entrySet()) {
      Map<String, Integer> expected = new LinkedHashMap<>();
      subscription.getValue().forEach(t -> expected.put(t, Course.count(t)));
      int total = expected.values().stream().mapToInt(Integer::intValue).sum();
      consumers.add(
          CompletableFuture.runAsync(
              () -> {
                Map<String, List<String>> mine = new ConcurrentHashMap<>();
                try (Consumer consumer = new Consumer(url, subscription.getValue())) {
                  consumer.stream()
                      .limit(total)
                      .forEach(
                          (Message m) ->
                              mine.computeIfAbsent(m.topic(), t -> new ArrayList<>())
                                  .add(m.text()));
                }
                received.put(subscription.getKey(), mine);
              }));
    }
    List<CompletableFuture<Void>> producers = new ArrayList<>();
    for (String name : Course.PRODUCERS) {
      producers.add(
          CompletableFuture.runAsync(
              () -> {
                try (Producer producer = new Producer(url, Course.topicsOf(name))) {
                  for (Course.Line line : Course.lines(name)) {
                    producer.send(line.topic(), line.message());
                  }
                }
              }));
    }
    CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(4, TimeUnit.MINUTES);
    CompletableFuture.allOf(consumers.toArray(CompletableFuture[]::new)).get(4, TimeUnit.MINUTES);
    Course.verify(received);
  }
}
