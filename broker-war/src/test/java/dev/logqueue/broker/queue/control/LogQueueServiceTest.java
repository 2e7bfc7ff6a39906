package dev.logqueue.broker.queue.control;

import static dev.logqueue.broker.queue.control.Queues.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The queue's rules, with its real committer, on a store in memory. */
class LogQueueServiceTest {

  static final TopicName LOGS = TopicName.of("logs");
  static final TopicName METRICS = TopicName.of("metrics");

  final MemoryLogStore store = new MemoryLogStore();
  final Queues queues = new Queues(store);

  LogQueueService start(QueueSettings settings) {
    return queues.start(settings);
  }

  void stop(LogQueueService queue) {
    queues.stop(queue);
  }

  LogQueueService start() {
    return start(QueueSettings.defaults());
  }

  @AfterEach
  void stopAll() {
    queues.close();
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The error code a call is refused with, whether it throws at once or fails its stage. */
  static ErrorCode refusal(Supplier<? extends CompletionStage<?>> call) {
    Executable executable = () -> await(call.get());
    LogQueueException refused = assertThrows(LogQueueException.class, executable);
    return refused.error();
  }

  static ErrorCode refusalOf(Executable call) {
    return assertThrows(LogQueueException.class, call).error();
  }

  @Test
  void topicsAreListedInCreationOrderAndNamesAreUnique() {
    LogQueueService queue = start();
    await(queue.createTopic(METRICS));
    await(queue.createTopic(LOGS));
    assertEquals(ErrorCode.TOPIC_EXISTS, refusal(() -> queue.createTopic(LOGS)));
    assertEquals(List.of(METRICS, LOGS), queue.topics());
  }

  @Test
  void registeringAProducerCreatesItsTopicAConsumerNeedsOne() {
    LogQueueService queue = start();
    assertEquals(ErrorCode.TOPIC_NOT_FOUND, refusal(() -> queue.registerConsumer(LOGS)));
    ProducerId producer = await(queue.registerProducer(LOGS));
    assertEquals(1, producer.value());
    assertEquals(List.of(LOGS), queue.topics());
    assertEquals(1, await(queue.registerConsumer(LOGS)).id().value());
    assertEquals(2, await(queue.registerProducer(LOGS)).value());
    assertEquals(ErrorCode.TOPIC_EXISTS, refusal(() -> queue.createTopic(LOGS)));
  }

  @Test
  void eachConsumerReadsEveryMessageInOrderFromItsOwnOffset() {
    LogQueueService queue = start();
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId early = await(queue.registerConsumer(LOGS)).id();
    for (int i = 0; i < 5; i++) {
      await(queue.produce(LOGS, producer, List.of("m" + i)));
    }
    ConsumerId late = await(queue.registerConsumer(LOGS)).id();
    assertEquals(5, queue.size(LOGS, early));
    assertEquals(List.of("m0"), await(texts(queue.consume(LOGS, early, 1, Duration.ZERO))));
    assertEquals(List.of("m1"), await(texts(queue.consume(LOGS, early, 1, Duration.ZERO))));
    assertEquals(3, queue.size(LOGS, early));
    assertEquals(5, queue.size(LOGS, late));
    assertEquals(
        List.of("m0", "m1", "m2"), await(texts(queue.consume(LOGS, late, 3, Duration.ZERO))));
    assertEquals(
        List.of("m2", "m3", "m4"), await(texts(queue.consume(LOGS, early, 10, Duration.ZERO))));
    assertEquals(0, queue.size(LOGS, early));
    assertEquals(List.of(), await(texts(queue.consume(LOGS, early, 1, Duration.ZERO))));
    assertEquals(List.of(), await(texts(queue.consume(LOGS, early, 10, Duration.ZERO))));
  }

  @Test
  void produceChecksTopicThenProducerThenTheirMatch() {
    LogQueueService queue = start();
    ProducerId logsProducer = await(queue.registerProducer(LOGS));
    await(queue.registerProducer(METRICS));
    TopicName missing = TopicName.of("missing");
    ProducerId unknown = new ProducerId(99);
    assertEquals(
        ErrorCode.TOPIC_NOT_FOUND, refusal(() -> queue.produce(missing, unknown, List.of("x"))));
    assertEquals(
        ErrorCode.PRODUCER_NOT_FOUND, refusal(() -> queue.produce(LOGS, unknown, List.of("x"))));
    assertEquals(
        ErrorCode.PRODUCER_TOPIC_MISMATCH,
        refusal(() -> queue.produce(METRICS, logsProducer, List.of("x"))));
    assertEquals(0, store.messages(new TopicId(1)).size(), "nothing refused was stored");
  }

  @Test
  void consumeAndSizeCheckTopicThenConsumerThenTheirMatch() {
    LogQueueService queue = start();
    await(queue.registerProducer(METRICS));
    ConsumerId consumer = await(queue.registerConsumer(METRICS)).id();
    await(queue.createTopic(LOGS));
    TopicName missing = TopicName.of("missing");
    ConsumerId unknown = new ConsumerId(42);
    assertEquals(ErrorCode.TOPIC_NOT_FOUND, refusalOf(() -> queue.size(missing, consumer)));
    assertEquals(ErrorCode.CONSUMER_NOT_FOUND, refusalOf(() -> queue.size(LOGS, unknown)));
    assertEquals(ErrorCode.CONSUMER_TOPIC_MISMATCH, refusalOf(() -> queue.size(LOGS, consumer)));
    assertEquals(
        ErrorCode.TOPIC_NOT_FOUND,
        refusal(() -> texts(queue.consume(missing, unknown, 1, Duration.ZERO))));
    assertEquals(
        ErrorCode.CONSUMER_NOT_FOUND,
        refusal(() -> texts(queue.consume(LOGS, unknown, 1, Duration.ZERO))));
    assertEquals(
        ErrorCode.CONSUMER_TOPIC_MISMATCH,
        refusal(() -> texts(queue.consume(LOGS, consumer, 1, Duration.ZERO))));
  }

  @Test
  void messagesUpToTheLimitInUtf8BytesAreAcceptedNotOne() {
    LogQueueService queue = start(QueueSettings.defaults().withMaxMessageBytes(10));
    ProducerId producer = await(queue.registerProducer(LOGS));
    await(queue.produce(LOGS, producer, List.of("0123456789")));
    await(queue.produce(LOGS, producer, List.of("ééééé"))); // 5 characters, 10 bytes
    assertEquals(
        ErrorCode.MESSAGE_TOO_LARGE,
        refusalOf(() -> queue.produce(LOGS, producer, List.of("0123456789a"))));
    assertEquals(
        ErrorCode.MESSAGE_TOO_LARGE,
        refusalOf(() -> queue.produce(LOGS, producer, List.of("éééééa"))));
    assertEquals(
        ErrorCode.BAD_REQUEST, refusalOf(() -> queue.produce(LOGS, producer, List.of("a\ud800"))));
    assertEquals(2, store.messages(new TopicId(1)).size());
  }

  @Test
  void theSizeCheckComesBeforeTheTopicCheck() {
    LogQueueService queue = start(QueueSettings.defaults().withMaxMessageBytes(3));
    assertEquals(
        ErrorCode.MESSAGE_TOO_LARGE,
        refusalOf(() -> queue.produce(LOGS, new ProducerId(1), List.of("four"))));
  }

  @Test
  void aBatchIsAppendedInOrderAllOrNothingWithinItsLimits() {
    LogQueueService queue =
        start(QueueSettings.defaults().withMaxMessageBytes(8).withProduceLimits(3, 10));
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    assertEquals(
        List.of(0L, 1L, 2L),
        await(queue.produce(LOGS, producer, List.of("a", "b", "c"))).offsets());
    assertEquals(3L, await(queue.produce(LOGS, producer, List.of("d"))).first());
    assertEquals(
        ErrorCode.MESSAGE_TOO_LARGE,
        refusalOf(() -> queue.produce(LOGS, producer, List.of("1", "2", "3", "4"))),
        "over the count");
    assertEquals(
        ErrorCode.MESSAGE_TOO_LARGE,
        refusalOf(() -> queue.produce(LOGS, producer, List.of("12345", "123456"))),
        "over the bytes");
    assertEquals(
        ErrorCode.MESSAGE_TOO_LARGE,
        refusalOf(() -> queue.produce(LOGS, producer, List.of("ok", "123456789"))),
        "one message over its own limit");
    assertEquals(
        List.of("a", "b", "c", "d"),
        await(texts(queue.consume(LOGS, consumer, 100, Duration.ZERO))));
  }

  @Test
  void aWaitingConsumeIsAnsweredWhenAMessageArrives() throws Exception {
    LogQueueService queue = start();
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    var waiting = queue.consume(LOGS, consumer, 10, Duration.ofSeconds(20));
    Thread.sleep(300);
    assertFalse(waiting.isDone(), "it waits");
    await(queue.produce(LOGS, producer, List.of("arrived", "together")));
    assertEquals(List.of("arrived", "together"), waiting.get(5, TimeUnit.SECONDS).texts());
    assertEquals(0, queue.size(LOGS, consumer), "and its offset moved");
  }

  @Test
  void aWaitThatNothingEndsAnswersEmptyOrQueueEmpty() {
    LogQueueService queue = start();
    await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    long started = System.nanoTime();
    assertEquals(List.of(), await(texts(queue.consume(LOGS, consumer, 5, Duration.ofMillis(400)))));
    assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(390));
    assertEquals(List.of(), await(texts(queue.consume(LOGS, consumer, 1, Duration.ofMillis(200)))));
  }

  @Test
  void manyWaitingConsumersHoldNoThreadAndAreAllAnswered() throws Exception {
    LogQueueService queue = start();
    ProducerId producer = await(queue.registerProducer(LOGS));
    List<CompletableFuture<Taken>> waiting = new ArrayList<>();
    int threadsBefore = Thread.activeCount();
    for (int i = 0; i < 500; i++) {
      ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
      waiting.add(queue.consume(LOGS, consumer, 1, Duration.ofSeconds(20)));
    }
    assertTrue(Thread.activeCount() - threadsBefore < 10, "no thread per waiting consume");
    await(queue.produce(LOGS, producer, List.of("for everyone")));
    for (CompletableFuture<Taken> each : waiting) {
      assertEquals(List.of("for everyone"), each.get(10, TimeUnit.SECONDS).texts());
    }
  }

  @Test
  void aWithdrawnWaitingConsumeMovesNothing() throws Exception {
    LogQueueService queue = start();
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    var waiting = queue.consume(LOGS, consumer, 1, Duration.ofSeconds(20));
    Thread.sleep(200);
    assertTrue(waiting.cancel(false), "a parked consume can be withdrawn");
    await(queue.produce(LOGS, producer, List.of("kept")));
    assertEquals(1, queue.size(LOGS, consumer), "the withdrawn consume took nothing");
  }

  @Test
  void aRestartRestoresEverythingAndNeverReusesAnId() {
    LogQueueService first = start();
    ProducerId producer = await(first.registerProducer(LOGS));
    ConsumerId consumer = await(first.registerConsumer(LOGS)).id();
    await(first.createTopic(METRICS));
    await(first.produce(LOGS, producer, List.of("a", "b", "c")));
    assertEquals(List.of("a"), await(texts(first.consume(LOGS, consumer, 1, Duration.ZERO))));
    stop(first);

    LogQueueService second = start();
    assertEquals(List.of(LOGS, METRICS), second.topics());
    assertEquals(2, second.size(LOGS, consumer));
    assertEquals(List.of("b"), await(texts(second.consume(LOGS, consumer, 1, Duration.ZERO))));
    await(second.produce(LOGS, producer, List.of("d")));
    assertEquals(List.of("c", "d"), await(texts(second.consume(LOGS, consumer, 5, Duration.ZERO))));
    assertEquals(2, await(second.registerProducer(LOGS)).value());
    assertEquals(2, await(second.registerConsumer(METRICS)).id().value());
    await(second.createTopic(TopicName.of("third")));
    assertEquals(
        List.of(LOGS, METRICS, TopicName.of("third")), second.topics(), "topic ids go on too");
  }

  @Test
  void memoryHoldsAWindowAndALateConsumerPagesThroughTheWholeHistory() {
    QueueSettings small = QueueSettings.defaults().withMemory(10, 2_000, 7);
    LogQueueService queue = start(small);
    ProducerId producer = await(queue.registerProducer(LOGS));
    for (int i = 0; i < 300; i++) {
      await(queue.produce(LOGS, producer, List.of("message-" + i)));
    }
    assertEquals(0, store.reads.get(), "producing reads nothing back");
    ConsumerId late = await(queue.registerConsumer(LOGS)).id();
    List<String> read = new ArrayList<>();
    while (read.size() < 300) {
      read.addAll(await(texts(queue.consume(LOGS, late, 1 + read.size() % 4, Duration.ZERO))));
    }
    for (int i = 0; i < 300; i++) {
      assertEquals("message-" + i, read.get(i));
    }
    assertTrue(store.reads.get() >= 290 / 7, "history was read in pages: " + store.reads.get());
    assertTrue(store.reads.get() <= 2 * 300 / 7, "each page about once: " + store.reads.get());
    assertTrue(
        new QueueGauges(queues.engine(queue)).historyBytes() <= 2_000,
        "the history cache keeps its bound");
  }

  @Test
  void aFailedCommitAnswersNobodySuccessAndTheQueueRecoversByItself() throws Exception {
    LogQueueService queue = start();
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    await(queue.produce(LOGS, producer, List.of("before")));

    store.down(true);
    assertEquals(
        ErrorCode.UNAVAILABLE, refusal(() -> queue.produce(LOGS, producer, List.of("lost"))));
    assertFalse(queues.engine(queue).isReady());
    assertEquals(ErrorCode.UNAVAILABLE, refusalOf(() -> queue.size(LOGS, consumer)));

    store.down(false);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!queues.engine(queue).isReady() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(queues.engine(queue).isReady(), "recovered without a restart");
    await(queue.produce(LOGS, producer, List.of("after")));
    assertEquals(
        List.of("before", "after"), await(texts(queue.consume(LOGS, consumer, 10, Duration.ZERO))));
  }

  @Test
  void aCommitWhoseAnswerIsLostIsReloadedNotGuessed() throws Exception {
    LogQueueService queue = start();
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    store.failAfterNextCommit();
    assertEquals(
        ErrorCode.UNAVAILABLE, refusal(() -> queue.produce(LOGS, producer, List.of("maybe"))));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!queues.engine(queue).isReady() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // the message did commit: after the reload the queue knows it, and the next goes after it
    await(queue.produce(LOGS, producer, List.of("next")));
    assertEquals(
        List.of("maybe", "next"), await(texts(queue.consume(LOGS, consumer, 10, Duration.ZERO))));
  }

  @Test
  void manyProducersAndConsumersAtOnceLoseNothingAndAgreeOnOneOrder() throws Exception {
    LogQueueService queue = start();
    int producers = 6;
    int perProducer = 300;
    int consumers = 4;
    List<ProducerId> producerIds = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      producerIds.add(await(queue.registerProducer(LOGS)));
    }
    List<ConsumerId> consumerIds = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      consumerIds.add(await(queue.registerConsumer(LOGS)).id());
    }
    List<Thread> threads = new ArrayList<>();
    List<List<String>> received = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      ProducerId id = producerIds.get(p);
      int number = p;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < perProducer; i++) {
                  await(queue.produce(LOGS, id, List.of(number + ":" + i)));
                }
              }));
    }
    for (ConsumerId id : consumerIds) {
      List<String> mine = new ArrayList<>();
      received.add(mine);
      threads.add(
          new Thread(
              () -> {
                while (mine.size() < producers * perProducer) {
                  mine.addAll(await(texts(queue.consume(LOGS, id, 1, Duration.ZERO))));
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join(60_000);
      assertFalse(thread.isAlive(), "finished");
    }
    List<String> first = received.get(0);
    assertEquals(producers * perProducer, first.size());
    assertEquals(producers * perProducer, first.stream().distinct().count(), "no duplicate");
    for (List<String> other : received) {
      assertEquals(first, other, "every consumer sees the same order");
    }
    int[] next = new int[producers];
    for (String message : first) {
      String[] parts = message.split(":");
      int producer = Integer.parseInt(parts[0]);
      assertEquals(next[producer]++, Integer.parseInt(parts[1]), "per-producer order");
    }
    assertEquals(first, store.messages(new TopicId(1)), "memory and store agree");
  }
}
