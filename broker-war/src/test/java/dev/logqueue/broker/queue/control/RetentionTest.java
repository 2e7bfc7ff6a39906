package dev.logqueue.broker.queue.control;

import static dev.logqueue.broker.queue.control.LogQueueServiceTest.await;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retention by age and by bytes, and the topics' lifecycle, with the real committer and keeper. */
class RetentionTest {

  static final TopicName LOGS = TopicName.of("logs");

  final MemoryLogStore store = new MemoryLogStore();
  final Queues queues = new Queues(store);

  /** Settings whose retention looks every 20 ms and deletes 7 rows per transaction. */
  static QueueSettings settings(Retention defaults) {
    return QueueSettings.defaults()
        .withWindow(5, 1 << 20) // most of a topic is behind its window: history reads
        .withMemory(5, 1 << 20, 4)
        .withRetention(defaults, Duration.ofMillis(20), 7);
  }

  LogQueueService start(Retention defaults) {
    return queues.start(settings(defaults));
  }

  @AfterEach
  void stopAll() {
    queues.close();
  }

  static void eventually(String what, BooleanSupplier condition) {
    Eventually.eventually(what, Duration.ofSeconds(10), condition);
  }

  static TopicDetails details(LogQueueService queue) {
    return await(queue.topic(LOGS));
  }

  static AckRequest acks(Long... offsets) {
    return new AckRequest(List.of(offsets), Optional.empty(), List.of(), List.of(), List.of(), 0);
  }

  static List<String> numbered(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> "m" + i).toList();
  }

  @Test
  void retentionByBytesKeepsTheNewestBytesAndConsumersBehindAreToldWhatTheySkipped() {
    LogQueueService queue = start(Retention.NONE);
    await(queue.createTopic(LOGS, new Retention(Retention.DEFAULT, 30)));
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId behind = await(queue.registerConsumer(LOGS)).id();
    ConsumerId reader = await(queue.registerConsumer(LOGS)).id();
    // 10 messages of 3 bytes each ("m0".."m9" are 2, "m10".. 3): keep the newest 30 bytes
    await(queue.produce(LOGS, producer, numbered(0, 4)));
    assertEquals(List.of("m0", "m1"), await(queue.consume(LOGS, reader, 2, Duration.ZERO)).texts());
    await(queue.produce(LOGS, producer, numbered(10, 12)));
    // 4 x 2 bytes + 12 x 3 bytes = 44 bytes; the newest 30 are the last 10 messages
    eventually("retained by bytes", () -> details(queue).start() == 6);
    TopicDetails topic = details(queue);
    assertEquals(16, topic.end());
    assertEquals(10, topic.messages());
    assertEquals(30, topic.bytes());
    assertEquals(new Retention(0, 30), topic.retention());
    eventually("rows deleted", () -> store.offsets(new TopicId(1)).get(0) == 6);
    assertEquals(10, store.offsets(new TopicId(1)).size());

    Taken first = await(queue.consume(LOGS, behind, 3, Duration.ZERO));
    assertEquals(List.of("m12", "m13", "m14"), first.texts(), "from the first retained");
    assertEquals(6, first.skipped());
    assertEquals(6, first.records().get(0).offset());
    Taken next = await(queue.consume(LOGS, behind, 1, Duration.ZERO));
    assertEquals(0, next.skipped(), "told once");
    Taken other = await(queue.consume(LOGS, reader, 1, Duration.ZERO));
    assertEquals(List.of("m12"), other.texts());
    assertEquals(4, other.skipped(), "it had read 2 of the 6 deleted");
    assertEquals(9, queue.size(LOGS, reader));
  }

  @Test
  void retentionByAgeDeletesWhatIsOlderAndARestartKeepsTheRetainedRangeAndTheSkippedCount()
      throws Exception {
    LogQueueService queue = start(new Retention(300, 0));
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    await(queue.produce(LOGS, producer, numbered(0, 20)));
    eventually("all aged out", () -> details(queue).start() == 20);
    assertEquals(0, details(queue).messages());
    assertEquals(0, queue.size(LOGS, consumer));
    eventually("rows deleted", () -> store.offsets(new TopicId(1)).isEmpty());
    queues.stop(queue);

    LogQueueService again = start(Retention.NONE);
    TopicDetails topic = details(again);
    assertEquals(20, topic.start(), "the retained range survives a restart");
    assertEquals(20, topic.end(), "and so does the end, though no message is stored");
    await(again.produce(LOGS, producer, List.of("fresh")));
    Taken taken = await(again.consume(LOGS, consumer, 5, Duration.ZERO));
    assertEquals(List.of("fresh"), taken.texts());
    assertEquals(20, taken.records().get(0).offset());
    assertEquals(20, taken.skipped(), "stored with the consumer: told after the restart");
  }

  @Test
  void anExplicitConsumerBehindRetentionSkipsWhatItHadNotAcknowledgedLeasesIncluded() {
    LogQueueService queue = start(Retention.NONE);
    await(queue.createTopic(LOGS, new Retention(0, 0)));
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer =
        await(
                queue.registerConsumer(
                    LOGS, new ConsumerSettings(null, true, 30_000, 0, null), Start.EARLIEST))
            .id();
    await(queue.produce(LOGS, producer, numbered(0, 10)));
    Taken leased = await(queue.consume(LOGS, consumer, 4, Duration.ZERO));
    assertEquals(4, leased.records().size());
    await(queue.ack(LOGS, consumer, acks(1L, 2L)));
    assertEquals(2, details(queue).consumers().get(0).leased());
    // only now the topic keeps the newest 4 messages of 2 bytes
    await(queue.setRetention(LOGS, new Retention(Retention.UNCHANGED, 8)));
    eventually("retained", () -> details(queue).start() == 6);
    TopicDetails.ConsumerDetails details = details(queue).consumers().get(0);
    assertEquals(6, details.offset(), "its floor moved up to the start");
    assertEquals(0, details.leased(), "the leases below are gone");
    assertEquals(4, details.lag());
    Taken taken = await(queue.consume(LOGS, consumer, 10, Duration.ZERO));
    assertEquals(List.of("m6", "m7", "m8", "m9"), taken.texts());
    assertEquals(4, taken.skipped(), "0, 3 (leased, not acked), 4, 5; not the acked 1 and 2");
    assertEquals(
        1,
        await(queue.ack(LOGS, consumer, acks(0L, 6L))).acked(),
        "an ack below the start is no failure (settled), and counts nothing");
  }

  @Test
  void producersAndConsumersAtWorkLoseNothingInsideRetention() throws Exception {
    LogQueueService queue = start(Retention.NONE);
    await(queue.createTopic(LOGS, new Retention(0, 2_000)));
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    AtomicBoolean producing = new AtomicBoolean(true);
    List<CompletableFuture<Appended>> produced = new ArrayList<>();
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 3_000; i++) {
                produced.add(queue.produce(LOGS, producer, List.of(String.format("%06d", i))));
              }
              producing.set(false);
            });
    writer.start();
    List<Long> offsets = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    long skipped = 0;
    while (producing.get() || queue.size(LOGS, consumer) > 0) {
      Taken taken = await(queue.consume(LOGS, consumer, 7, Duration.ofMillis(50)));
      skipped += taken.skipped();
      taken.records().forEach(r -> offsets.add(r.offset()));
      texts.addAll(taken.texts());
    }
    writer.join();
    for (CompletableFuture<Appended> each : produced) {
      await(each);
    }
    assertEquals(3_000, offsets.size() + skipped, "every message read or told skipped");
    for (int i = 0; i < offsets.size(); i++) {
      long offset = offsets.get(i);
      assertEquals(String.format("%06d", offset), texts.get(i), "the message at its offset");
      if (i > 0) {
        assertTrue(offset > offsets.get(i - 1), "in order");
      }
    }
    // the keeper enforces retention on its next look (every 20 ms), not on each append
    eventually("down to 2,000 bytes", () -> details(queue).bytes() <= 2_000);
    eventually(
        "deleted down to the start",
        () -> store.offsets(new TopicId(1)).get(0) == details(queue).start());
    long start = details(queue).start();
    assertTrue(
        store.deletions.get() >= start / 7,
        store.deletions.get() + " deletions for " + start + " rows: at most 7 rows each");
  }

  @Test
  void aDeletedTopicIsGoneWithItsClientsAndMessagesAndItsNameAndNoIdComesBack() {
    LogQueueService queue = start(Retention.NONE);
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    await(queue.produce(LOGS, producer, numbered(0, 30)));
    await(queue.consume(LOGS, consumer, 30, Duration.ZERO)); // takes them all
    CompletableFuture<Taken> parked = queue.consume(LOGS, consumer, 1, Duration.ofSeconds(5));

    await(queue.deleteTopic(LOGS));
    assertEquals(ErrorCode.TOPIC_NOT_FOUND, refusal(() -> parked), "a waiting consume is told");
    assertEquals(
        ErrorCode.TOPIC_NOT_FOUND, refusal(() -> queue.produce(LOGS, producer, List.of("x"))));
    assertEquals(
        ErrorCode.TOPIC_NOT_FOUND, refusal(() -> queue.consume(LOGS, consumer, 1, Duration.ZERO)));
    assertEquals(List.of(), queue.topics());
    eventually("its messages deleted", () -> store.deletedTopics().isEmpty());
    assertEquals(List.of(), store.messages(new TopicId(1)));

    await(queue.createTopic(LOGS));
    ProducerId again = await(queue.registerProducer(LOGS));
    assertEquals(2, again.value(), "a new id");
    assertEquals(
        ErrorCode.PRODUCER_NOT_FOUND, refusal(() -> queue.produce(LOGS, producer, List.of("x"))));
    assertEquals(0, details(queue).end(), "a new topic, empty");
    ConsumerId newConsumer = await(queue.registerConsumer(LOGS)).id();
    assertEquals(2, newConsumer.value());
    queues.stop(queue);

    LogQueueService restarted = start(Retention.NONE);
    await(restarted.deleteTopic(LOGS));
    queues.stop(restarted);
    LogQueueService third = start(Retention.NONE);
    assertEquals(
        3, await(third.registerProducer(LOGS)).value(), "ids survive deletions and restarts");
    assertEquals(3, await(third.registerConsumer(LOGS)).id().value());
  }

  @Test
  void aDeletedConsumerIsGoneAndItsNameFree() {
    LogQueueService queue = start(Retention.NONE);
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerSettings named = new ConsumerSettings("audit", false, 30_000, 0, null);
    ConsumerId audit = await(queue.registerConsumer(LOGS, named, Start.EARLIEST)).id();
    ConsumerId other = await(queue.registerConsumer(LOGS)).id();
    await(queue.produce(LOGS, producer, List.of("a")));
    await(queue.deleteConsumer(LOGS, audit));
    assertEquals(
        ErrorCode.CONSUMER_NOT_FOUND, refusal(() -> queue.consume(LOGS, audit, 1, Duration.ZERO)));
    assertEquals(ErrorCode.CONSUMER_NOT_FOUND, refusal(() -> queue.deleteConsumer(LOGS, audit)));
    assertEquals(List.of(other), details(queue).consumers().stream().map(c -> c.id()).toList());
    assertTrue(!store.hasConsumer(audit.value()));
    Registered again = await(queue.registerConsumer(LOGS, named, Start.EARLIEST));
    assertEquals(3, again.id().value(), "the name registers a new consumer");
    assertTrue(!again.existing());
    queues.stop(queue);
    LogQueueService restarted = start(Retention.NONE);
    await(restarted.deleteConsumer(LOGS, again.id()));
    queues.stop(restarted);
    assertEquals(4, await(start(Retention.NONE).registerConsumer(LOGS)).id().value());
  }
}
