package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logqueue.testkit.Course;
import dev.logqueue.testkit.Wire;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many clients at once over HTTP: the original end-to-end test (5 producers, 3 consumers, 3
 * topics), and many producers and consumers on one topic.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EndToEndIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.broker();
  }

  @ArquillianResource URL base;
  Wire wire;

  @BeforeEach
  void client() throws Exception {
    wire = new Wire(Deployments.base(base));
  }

  /** Runs the tasks on threads of their own, all at once, and returns their results. */
  static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<T>> futures = threads.invokeAll(tasks, 5, TimeUnit.MINUTES);
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }

  /** Reads a consumer's topic until it has {@code expected} messages. */
  List<String> read(String topic, long consumer, int expected) throws InterruptedException {
    List<String> received = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (received.size() < expected) {
      Optional<String> message = wire.consume(topic, consumer);
      if (message.isPresent()) {
        received.add(message.get());
      } else if (System.nanoTime() > deadline) {
        throw new AssertionError(topic + ": " + received.size() + " of " + expected);
      } else {
        Thread.sleep(5);
      }
    }
    return received;
  }

  @Test
  void theCourseScenarioDeliversEveryMessageOnceInOneOrder() throws Exception {
    String run = "-" + System.nanoTime() % 1_000_000;
    List<Callable<Void>> producers = new ArrayList<>();
    for (String producer : Course.PRODUCERS) {
      producers.add(
          () -> {
            Map<String, Long> ids = new LinkedHashMap<>();
            for (String topic : Course.topicsOf(producer)) {
              ids.put(topic, wire.registerProducer(topic + run));
            }
            for (Course.Line line : Course.lines(producer)) {
              wire.produce(line.topic() + run, ids.get(line.topic()), line.message());
            }
            return null;
          });
    }
    // the consumers register once the topics exist, then read while the producers write
    for (String topic : List.of("T-1", "T-2", "T-3")) {
      wire.registerProducer(topic + run);
    }
    Map<String, Map<String, List<String>>> received = new ConcurrentHashMap<>();
    List<Callable<Void>> consumers = new ArrayList<>();
    for (var consumer : Course.CONSUMERS.entrySet()) {
      consumers.add(
          () -> {
            Map<String, List<String>> mine = new LinkedHashMap<>();
            for (String topic : consumer.getValue()) {
              long id = wire.registerConsumer(topic + run);
              int expected = Course.count(topic);
              mine.put(topic, read(topic + run, id, expected));
            }
            received.put(consumer.getKey(), mine);
            return null;
          });
    }
    List<Callable<Void>> everyone = new ArrayList<>(producers);
    everyone.addAll(consumers);
    concurrently(everyone);
    Course.verify(received);
  }

  @Test
  void manyProducersAndConsumersOnOneTopicAgreeOnOneOrder() throws Exception {
    String topic = "crowd-" + System.nanoTime() % 1_000_000;
    int producers = 8;
    int messages = 150;
    int consumers = 6;
    wire.createTopic(topic);
    List<Callable<List<String>>> tasks = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      String name = "p" + p;
      tasks.add(
          () -> {
            long id = wire.registerProducer(topic);
            for (int i = 0; i < messages; i++) {
              wire.produce(topic, id, name + ":" + i);
            }
            return List.of();
          });
    }
    for (int c = 0; c < consumers; c++) {
      tasks.add(() -> read(topic, wire.registerConsumer(topic), producers * messages));
    }
    List<List<String>> results = concurrently(tasks);
    List<String> first = results.get(producers);
    assertEquals(producers * messages, new HashSet<>(first).size(), "each message once");
    for (List<String> other : results.subList(producers, results.size())) {
      assertEquals(first, other, "every consumer sees the same order");
    }
    Map<String, Integer> next = new LinkedHashMap<>();
    for (String message : first) {
      String[] parts = message.split(":");
      int expected = next.getOrDefault(parts[0], 0);
      assertEquals(expected, Integer.parseInt(parts[1]), "per-producer order of " + parts[0]);
      next.put(parts[0], expected + 1);
    }
  }
}
