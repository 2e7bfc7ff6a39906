package dev.logqueue.sdk.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.sdk.BrokerUnavailableException;
import dev.logqueue.sdk.ClientNotFoundException;
import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.InvalidRequestException;
import dev.logqueue.sdk.LogQueueClient;
import dev.logqueue.sdk.LogQueueException;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.MessageTooLargeException;
import dev.logqueue.sdk.Producer;
import dev.logqueue.sdk.QueueEmptyException;
import dev.logqueue.sdk.Retention;
import dev.logqueue.sdk.Retry;
import dev.logqueue.sdk.TopicExistsException;
import dev.logqueue.sdk.TopicInfo;
import dev.logqueue.sdk.TopicMismatchException;
import dev.logqueue.sdk.TopicNotFoundException;
import dev.logqueue.sdk.client.Bodies.ConsumeRequest;
import dev.logqueue.sdk.client.Bodies.ProduceRequest;
import dev.logqueue.sdk.client.Bodies.TopicRequest;
import dev.logqueue.sdk.client.ConfiguredToken;
import dev.logqueue.sdk.client.FailureMapper;
import dev.logqueue.sdk.client.LogQueueApi;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Ports;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every facade method and every error code, against a real broker, from a plain JVM with nothing
 * but logqueue-sdk-standalone (no container).
 */
class SdkIT {

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

  @Test
  void topicsAreCreatedAndListed() {
    String first = topic("created");
    String second = topic("created");
    try (Producer client = Producer.builder(url).build()) {
      client.createTopic(first);
      client.createTopic(second);
      assertThrows(TopicExistsException.class, () -> client.createTopic(first));
      List<String> topics = client.listTopics();
      assertTrue(topics.indexOf(first) < topics.indexOf(second), topics::toString);
    }
  }

  @Test
  void retentionTopicDetailsAndDeletion() throws Exception {
    String kept = topic("kept");
    try (Producer producer = Producer.builder(url).build()) {
      producer.createTopic(kept, Retention.bytes(30).andAge(Duration.ofHours(1)));
      TopicInfo created = producer.topic(kept);
      assertEquals(30, created.retentionBytes());
      assertEquals(3_600_000, created.retentionMillis());
      List<String> skipped = new ArrayList<>();
      try (Consumer late =
          Consumer.builder(url)
              .topics(kept)
              .onSkipped((topic, count) -> skipped.add(topic + ":" + count))
              .build()) {
        for (int i = 0; i < 20; i++) {
          producer.send(kept, "msg-" + (100 + i)); // 7 bytes each: 4 fit in 30
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (producer.topic(kept).startOffset() < 16 && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        TopicInfo retained = producer.topic(kept);
        assertEquals(16, retained.startOffset());
        assertEquals(20, retained.endOffset());
        assertEquals(28, retained.bytes());
        assertEquals(1, retained.producers());
        assertEquals(1, retained.consumers().size());
        assertEquals(4, retained.consumers().get(0).lag());
        assertTrue(retained.consumers().get(0).lagMillis() >= 0);
        assertTrue(retained.oldest().isAfter(java.time.Instant.now().minusSeconds(60)));
        TopicInfo listed =
            producer.listTopicDetails().stream()
                .filter(t -> t.name().equals(kept))
                .findFirst()
                .orElseThrow();
        assertEquals(retained.startOffset(), listed.startOffset(), "all topics' details at once");
        List<Message> newest = producer.newestMessages(kept, 2);
        assertEquals(List.of("msg-118", "msg-119"), newest.stream().map(Message::text).toList());
        assertEquals(18, newest.get(0).offset());
        assertEquals(
            List.of(16L, 17L),
            producer.messagesFrom(kept, 0, 2).stream().map(Message::offset).toList(),
            "from an offset before the retained range: from its start");
        java.time.Instant at118 = java.time.Instant.ofEpochMilli(newest.get(0).timestamp());
        List<Message> fromTime = producer.messagesFrom(kept, at118, 4);
        assertTrue(fromTime.get(0).timestamp() >= at118.toEpochMilli(), "none before the time");
        assertTrue(fromTime.stream().anyMatch(m -> m.text().equals("msg-118")), fromTime::toString);
        List<Message> read = late.pollBatch(Duration.ofSeconds(1), 10);
        assertEquals("msg-116", read.get(0).text(), "from the first message retained");
        assertEquals(List.of(kept + ":16"), skipped, "told what it missed");
        assertEquals(16, late.skipped());

        TopicInfo changed = producer.setRetention(kept, Retention.UNLIMITED);
        assertEquals(0, changed.retentionBytes());
        assertEquals(0, changed.retentionMillis());
        producer.deleteConsumer(kept, retained.consumers().get(0).id());
        assertEquals(List.of(), producer.topic(kept).consumers());
        assertThrows(
            ClientNotFoundException.class,
            () -> producer.deleteConsumer(kept, retained.consumers().get(0).id()));
      }
      producer.deleteTopic(kept);
      assertThrows(TopicNotFoundException.class, () -> producer.topic(kept));
      assertFalse(producer.listTopics().contains(kept));
      assertThrows(TopicNotFoundException.class, () -> producer.deleteTopic(kept));
      producer.createTopic(kept);
      assertEquals(0, producer.topic(kept).endOffset(), "created again, as a new topic");
    }
  }

  @Test
  void aClientOfSeveralBrokersGoesAroundOneThatIsDown() {
    String topic = topic("around");
    String down = "http://127.0.0.1:" + Ports.free(); // nothing listens there
    try (Producer producer = Producer.builder(down + "," + url).topics(topic).build();
        Consumer consumer = Consumer.builder(url + "," + down).topics(topic).build()) {
      for (int i = 0; i < 10; i++) {
        assertEquals(i, producer.send(topic, "m" + i));
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(Optional.of("m" + i), consumer.dequeue(topic));
      }
      assertEquals(Optional.empty(), consumer.dequeue(topic));
    }
  }

  @Test
  void aProducerRegistersForItsTopicsAndSends() {
    String logs = topic("logs");
    String metrics = topic("metrics");
    try (Producer producer = new Producer(url, List.of(logs, metrics));
        Consumer consumer = Consumer.builder(url).topics(logs).build()) {
      Map<String, Long> ids = producer.topicIds();
      assertEquals(2, ids.size());
      assertTrue(ids.get(metrics) > ids.get(logs));
      assertTrue(producer.listTopics().containsAll(List.of(logs, metrics)));
      producer.send(logs, "one");
      producer.send(logs, "two");
      assertEquals(Optional.of("one"), consumer.dequeue(logs));
      assertEquals(1, consumer.size(logs));
      assertEquals(Optional.of("two"), consumer.dequeue(logs));
      assertEquals(Optional.empty(), consumer.dequeue(logs));
      assertEquals(0, consumer.size(logs));
    }
  }

  @Test
  void sendingToANewTopicRegistersForItFirst() {
    String later = topic("later");
    try (Producer producer = Producer.builder(url).build()) {
      assertTrue(producer.topicIds().isEmpty());
      producer.send(later, "hello");
      assertTrue(producer.topicIds().containsKey(later));
      assertTrue(producer.listTopics().contains(later));
    }
  }

  @Test
  void asynchronousSendsAreAllCommittedByTheTimeStopReturns() throws Exception {
    String topic = topic("async");
    Producer producer = Producer.builder(url).topics(topic).build();
    List<CompletionStage<Long>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(producer.sendAsync(topic, "async-" + i));
    }
    assertTrue(producer.canSend());
    producer.stop();
    assertFalse(producer.canSend());
    for (CompletionStage<Long> stage : sent) {
      assertTrue(stage.toCompletableFuture().isDone(), "stop waited for it");
    }
    assertThrows(IllegalStateException.class, () -> producer.send(topic, "late"));
    producer.close();
    try (Consumer consumer = Consumer.builder(url).topics(topic).build()) {
      assertEquals(200, consumer.size(topic));
    }
  }

  @Test
  void sendsFromManyThreadsAreBatchedAndEachLearnsItsOffsetInItsOwnOrder() throws Exception {
    String topic = topic("batched");
    int threads = 16;
    int each = 250;
    Map<Long, String> byOffset = new ConcurrentHashMap<>();
    try (Producer producer = Producer.builder(url).topics(topic).build()) {
      ExecutorService senders = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            senders.submit(
                () -> {
                  Map<String, CompletableFuture<Long>> mine = new LinkedHashMap<>();
                  for (int i = 0; i < each; i++) {
                    String text = thread + "-" + i;
                    mine.put(text, producer.sendAsync(topic, text).toCompletableFuture());
                    if (i % 50 == 49) { // a synchronous send among them keeps its place too
                      mine.put(
                          text + "-sync",
                          CompletableFuture.completedFuture(producer.send(topic, text + "-sync")));
                    }
                  }
                  long previous = -1;
                  for (Map.Entry<String, CompletableFuture<Long>> sent : mine.entrySet()) {
                    long offset = sent.getValue().join();
                    assertTrue(offset > previous, "one thread's messages keep their order");
                    previous = offset;
                    byOffset.put(offset, sent.getKey());
                  }
                  return null;
                }));
      }
      senders.shutdown();
      for (Future<?> sender : done) {
        sender.get(60, TimeUnit.SECONDS);
      }
    }
    int total = threads * (each + each / 50);
    assertEquals(total, byOffset.size(), "an offset of its own for each message");
    assertEquals(total - 1, Collections.max(byOffset.keySet()), "offsets 0 to " + (total - 1));
    try (Consumer consumer = Consumer.builder(url).topics(topic).build()) {
      assertEquals(total, consumer.size(topic), "each message stored once");
      int read = 0;
      for (List<Message> batch = consumer.pollBatch(Duration.ZERO, 1000);
          !batch.isEmpty();
          batch = consumer.pollBatch(Duration.ZERO, 1000)) {
        for (Message message : batch) {
          assertEquals(byOffset.get((long) read), message.text(), "at the offset it was told");
          read++;
        }
      }
      assertEquals(total, read);
    }
  }

  @Test
  void anAsynchronousSendFailsItsStageWithTheTypedException() {
    String topic = topic("async-big");
    try (Producer producer = Producer.builder(url).topics(topic).build()) {
      CompletableFuture<Long> tooLarge =
          producer.sendAsync(topic, "x".repeat(1024 * 1024 + 1)).toCompletableFuture();
      CompletionException e = assertThrows(CompletionException.class, tooLarge::join);
      assertInstanceOf(MessageTooLargeException.class, e.getCause());
    }
  }

  @Test
  void aConsumerIteratesOverAllItsTopicsAndEachMessageTellsItsTopic() throws Exception {
    String a = topic("iter-a");
    String b = topic("iter-b");
    String c = topic("iter-c");
    try (Producer producer = Producer.builder(url).topics(a, b, c).build();
        Consumer consumer = Consumer.builder(url).topics(a, b, c).build()) {
      for (int i = 0; i < 5; i++) {
        producer.send(a, "a" + i);
        producer.send(b, "b" + i);
      }
      producer.send(c, "c0");
      List<Message> received = new ArrayList<>();
      for (Message message : consumer) {
        received.add(message);
        if (received.size() == 11) {
          break;
        }
      }
      for (String topic : List.of(a, b, c)) {
        List<String> texts =
            received.stream().filter(m -> m.topic().equals(topic)).map(Message::text).toList();
        String prefix = topic.equals(a) ? "a" : topic.equals(b) ? "b" : "c";
        for (int i = 0; i < texts.size(); i++) {
          assertEquals(prefix + i, texts.get(i), "in order within " + topic);
        }
      }
      assertEquals(5, received.stream().filter(m -> m.topic().equals(b)).count());
      assertEquals(Optional.empty(), consumer.poll(Duration.ofMillis(300)), "all read");
    }
  }

  @Test
  void stopEndsAWaitingIterationFromAnotherThread() throws Exception {
    String topic = topic("stop");
    try (Producer producer = Producer.builder(url).topics(topic).build();
        Consumer consumer = Consumer.builder(url).topics(topic).build()) {
      producer.send(topic, "only");
      CompletableFuture<List<String>> reading =
          CompletableFuture.supplyAsync(() -> consumer.stream().map(Message::text).toList());
      Thread.sleep(1_500); // the stream took "only" and now waits on an empty topic
      assertFalse(reading.isDone());
      long stopped = System.nanoTime();
      consumer.stop();
      assertEquals(List.of("only"), reading.get(10, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(3), "ended promptly");
    }
  }

  @Test
  void anEmptyPollWaitsAtTheBrokerNotInALoop() throws Exception {
    String topic = topic("idle");
    AtomicInteger calls = new AtomicInteger();
    try (LogQueueApi real =
            LogQueueClient.connect(URI.create(url), Duration.ofSeconds(5), Duration.ofSeconds(40));
        Producer producer = Producer.builder(url).topics(topic).build();
        Consumer consumer = Consumer.builder(counting(real, calls)).topics(topic).build()) {
      calls.set(0);
      long started = System.nanoTime();
      assertEquals(Optional.empty(), consumer.poll(Duration.ofSeconds(3)));
      long waited = System.nanoTime() - started;
      assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(2_900), "waited out the timeout");
      assertTrue(calls.get() <= 5, "the broker held the requests: " + calls.get() + " calls");

      CompletableFuture<Optional<Message>> polling =
          CompletableFuture.supplyAsync(() -> consumer.poll(Duration.ofSeconds(20)));
      Thread.sleep(500);
      long sent = System.nanoTime();
      producer.send(topic, "now");
      assertEquals("now", polling.get(10, TimeUnit.SECONDS).orElseThrow().text());
      assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(2), "answered on arrival");
    }
  }

  @Test
  void batchesAreSentAndPolledWhole() {
    String topic = topic("batches");
    try (Producer producer = Producer.builder(url).topics(topic).build();
        Consumer consumer = Consumer.builder(url).topics(topic).build()) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        sent.add("b" + i);
      }
      producer.sendBatch(topic, sent);
      assertThrows(
          MessageTooLargeException.class,
          () -> producer.sendBatch(topic, List.of("ok", "x".repeat(1024 * 1024 + 1))));
      List<String> received = new ArrayList<>();
      for (List<Message> batch = consumer.pollBatch(Duration.ZERO, 100);
          !batch.isEmpty();
          batch = consumer.pollBatch(Duration.ZERO, 100)) {
        assertTrue(batch.size() <= 100);
        batch.forEach(m -> received.add(m.text()));
      }
      assertEquals(sent, received, "in order, all of them, none of the refused batch");
    }
  }

  /** A client that counts the calls made through it. */
  static LogQueueApi counting(LogQueueApi real, AtomicInteger calls) {
    return (LogQueueApi)
        java.lang.reflect.Proxy.newProxyInstance(
            LogQueueApi.class.getClassLoader(),
            new Class<?>[] {LogQueueApi.class},
            (proxy, method, args) -> {
              calls.incrementAndGet();
              try {
                return method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aConsumerResumesItsOffsetWithItsId() {
    String topic = topic("resume");
    long id;
    try (Producer producer = Producer.builder(url).topics(topic).build();
        Consumer first = Consumer.builder(url).topics(topic).build()) {
      for (int i = 0; i < 3; i++) {
        producer.send(topic, "m" + i);
      }
      assertEquals(Optional.of("m0"), first.dequeue(topic));
      id = first.topicIds().get(topic);
    }
    try (Consumer again = Consumer.builder(url).resume(topic, id).build()) {
      assertEquals(id, again.topicIds().get(topic));
      assertEquals(Optional.of("m1"), again.dequeue(topic));
    }
  }

  @Test
  void theTypedClientMapsEveryErrorCodeToItsException() {
    String mine = topic("mine");
    String other = topic("other");
    try (LogQueueApi api =
        LogQueueClient.connect(URI.create(url), Duration.ofSeconds(5), Duration.ofSeconds(30))) {
      long producer = api.registerProducer(new TopicRequest(mine)).producerId();
      api.registerProducer(new TopicRequest(other));
      long consumer = api.registerConsumer(new TopicRequest(mine)).consumerId();
      assertError(
          TopicNotFoundException.class,
          "topic_not_found",
          () -> api.registerConsumer(new TopicRequest(topic("missing"))));
      assertError(
          ClientNotFoundException.class,
          "producer_not_found",
          () -> api.produce(new ProduceRequest(mine, 99_999_999, "x")));
      assertError(
          ClientNotFoundException.class,
          "consumer_not_found",
          () -> api.consume(new ConsumeRequest(mine, 99_999_999)));
      assertError(
          TopicMismatchException.class,
          "producer_topic_mismatch",
          () -> api.produce(new ProduceRequest(other, producer, "x")));
      assertError(
          TopicMismatchException.class,
          "consumer_topic_mismatch",
          () -> api.size(new ConsumeRequest(other, consumer)));
      assertError(
          QueueEmptyException.class,
          "queue_empty",
          () -> api.consume(new ConsumeRequest(mine, consumer)));
      assertError(
          MessageTooLargeException.class,
          "message_too_large",
          () -> api.produce(new ProduceRequest(mine, producer, "x".repeat(1024 * 1024 + 1))));
      assertError(
          InvalidRequestException.class,
          "bad_request",
          () -> api.registerProducer(new TopicRequest("no spaces")));
      assertError(
          TopicExistsException.class,
          "topic_exists",
          () -> api.createTopic(new dev.logqueue.sdk.client.Bodies.NewTopic(mine)));
    }
    try (Wrong wrong = RestClientBuilder.newBuilder().baseUri(URI.create(url)).build(Wrong.class)) {
      assertError(InvalidRequestException.class, "not_found", wrong::nowhere);
      assertError(InvalidRequestException.class, "method_not_allowed", wrong::deleteTopics);
    }
  }

  /** Paths and methods the broker does not have. */
  @Path("/")
  @RegisterProvider(FailureMapper.class)
  @RegisterProvider(ConfiguredToken.class) // the suite's token, when it runs with security
  public interface Wrong extends AutoCloseable {
    @GET
    @Path("nowhere")
    String nowhere();

    @DELETE
    @Path("topics")
    String deleteTopics();

    @Override
    void close();
  }

  static void assertError(
      Class<? extends LogQueueException> type,
      String error,
      org.junit.jupiter.api.function.Executable call) {
    LogQueueException e = assertThrows(type, call);
    assertEquals(error, e.error());
    assertFalse(e.getMessage().isBlank());
    assertTrue(e.status() >= 400);
  }

  @Test
  void anUnreachableBrokerIsBrokerUnavailableAfterRetries() {
    String nowhere = "http://127.0.0.1:" + Ports.free();
    Retry quick = new Retry(3, Duration.ofMillis(20), Duration.ofMillis(40));
    long started = System.nanoTime();
    BrokerUnavailableException e =
        assertThrows(
            BrokerUnavailableException.class,
            () -> Producer.builder(nowhere).retry(quick).topics("t").build());
    assertEquals(0, e.status());
    assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(40), "it backed off");
  }

  @Test
  void theReadTimeoutBoundsACallToABrokerThatDoesNotAnswer() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // done
                }
              });
      acceptor.start();
      try (Producer client =
          Producer.builder("http://127.0.0.1:" + silent.getLocalPort())
              .readTimeout(Duration.ofMillis(300))
              .retry(new Retry(2, Duration.ofMillis(10), Duration.ofMillis(10)))
              .build()) {
        long started = System.nanoTime();
        assertThrows(BrokerUnavailableException.class, client::listTopics);
        long took = System.nanoTime() - started;
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "bounded: " + took / 1_000_000 + " ms");
        assertEquals(2, accepted.size(), "listing topics is idempotent: retried once");
      }
    }
  }
}
