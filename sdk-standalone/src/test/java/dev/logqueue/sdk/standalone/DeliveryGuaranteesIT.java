package dev.logqueue.sdk.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import dev.logqueue.sdk.client.LogQueueApi;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import jakarta.ws.rs.ProcessingException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's delivery guarantees against a real broker: a producer's retry after a lost answer
 * stores nothing twice; an explicit consumer's iteration acknowledges what its body processed and
 * gets again what it threw on; workers share one durable consumer.
 */
class DeliveryGuaranteesIT {

  static Broker broker;
  static String url;
  static final AtomicInteger TOPICS = new AtomicInteger();

  @BeforeAll
  static void start() {
    broker = Broker.on(Database.h2()).start();
    url = broker.uri().toString();
  }

  @AfterAll
  static void stop() {
    broker.stop();
  }

  static String topic(String name) {
    return name + "-" + TOPICS.incrementAndGet();
  }

  /** A client whose every second produce reaches the broker but loses its answer. */
  static LogQueueApi losingAnswers(LogQueueApi real, AtomicInteger lost) {
    AtomicBoolean lose = new AtomicBoolean();
    return (LogQueueApi)
        java.lang.reflect.Proxy.newProxyInstance(
            LogQueueApi.class.getClassLoader(),
            new Class<?>[] {LogQueueApi.class},
            (proxy, method, args) -> {
              Object answer;
              try {
                answer = method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().startsWith("produce") && !lose.getAndSet(!lose.get())) {
                lost.incrementAndGet();
                throw new ProcessingException("Connection reset (the answer was lost)");
              }
              return answer;
            });
  }

  @Test
  void aProducerRetryingAfterALostAnswerStoresEachMessageOnce() {
    String topic = topic("retried");
    AtomicInteger lost = new AtomicInteger();
    try (LogQueueApi real =
            RestClientBuilder.newBuilder().baseUri(URI.create(url)).build(LogQueueApi.class);
        Producer producer = Producer.builder(losingAnswers(real, lost)).topics(topic).build();
        Consumer consumer = Consumer.builder(url).topics(topic).build()) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        producer.send(topic, "m-" + i);
        sent.add("m-" + i);
      }
      producer.sendBatch(topic, List.of("b-0", "b-1", "b-2"));
      sent.addAll(List.of("b-0", "b-1", "b-2"));
      assertTrue(lost.get() >= 10, "answers were lost: " + lost.get());
      List<String> stored = new ArrayList<>();
      consumer.pollBatch(java.time.Duration.ZERO, 1000).forEach(m -> stored.add(m.text()));
      assertEquals(sent, stored, "every message once, in order");
    }
  }

  @Test
  void anExplicitIterationAcknowledgesWhatItsBodyProcessedAndGetsAgainWhatItThrewOn() {
    String topic = topic("at-least-once");
    try (Producer producer = Producer.builder(url).build()) {
      for (int i = 0; i < 10; i++) {
        producer.send(topic, "m-" + i);
      }
    }
    List<String> processed = new ArrayList<>();
    List<Integer> deliveriesOfFive = new ArrayList<>();
    Consumer.Builder builder =
        Consumer.builder(url).topics(topic).name("once").explicitAck().leaseMs(1_000);
    try (Consumer consumer = builder.build()) {
      try {
        for (Message message : consumer) {
          if (message.text().equals("m-5")) {
            deliveriesOfFive.add(message.delivery());
            throw new IllegalStateException("failed to process m-5");
          }
          processed.add(message.text());
        }
      } catch (IllegalStateException expected) {
        // the loop ended on m-5: it was not acknowledged
      }
    }
    try (Consumer again = builder.build()) {
      assertEquals(5, again.size(topic), "m-0..m-4 acknowledged; m-5 and after not");
      for (Message message : again) {
        if (message.text().equals("m-5")) {
          deliveriesOfFive.add(message.delivery());
        }
        processed.add(message.text());
        if (processed.size() == 10) {
          again.stop();
        }
      }
    }
    assertEquals(
        List.of("m-0", "m-1", "m-2", "m-3", "m-4", "m-6", "m-7", "m-8", "m-9", "m-5"),
        processed,
        "m-5 still leased to the first client: the others first, then m-5 again");
    assertEquals(List.of(1, 2), deliveriesOfFive, "m-5 came again once its lease ended");
    try (Consumer check = builder.build()) {
      assertEquals(0, check.size(topic), "the last one acknowledged at close");
    }
  }

  @Test
  void workersShareOneDurableConsumerAndEachMessageIsHandledOnceWhenNoneFails() throws Exception {
    String topic = topic("workers");
    try (Producer producer = Producer.builder(url).build()) {
      for (int batch = 0; batch < 10; batch++) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          texts.add("m-" + (batch * 100 + i));
        }
        producer.sendBatch(topic, texts);
      }
    }
    Set<String> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger twice = new AtomicInteger();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Consumer.Builder builder = Consumer.builder(url).topics(topic).name("pool").explicitAck();
    try (Consumer.Workers workers =
        Consumer.workers(
            builder,
            3,
            message -> {
              threads.add(Thread.currentThread().getName());
              if (!handled.add(message.text())) {
                twice.incrementAndGet();
              }
            })) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (handled.size() < 1000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    assertEquals(1000, handled.size());
    assertEquals(0, twice.get());
    try (Consumer check = builder.build()) {
      assertEquals(0, check.size(topic), "all acknowledged");
    }
  }
}
