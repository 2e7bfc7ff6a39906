package dev.logqueue.broker.queue.control;

import static dev.logqueue.broker.queue.control.LogQueueServiceTest.LOGS;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.METRICS;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.await;
import static dev.logqueue.broker.queue.control.Queues.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idempotent produce: message ids within a topic's dedup window, on a store in memory. */
class DedupTest {

  final MemoryLogStore store = new MemoryLogStore();
  final Queues queues = new Queues(store);

  LogQueueService start(QueueSettings settings) {
    return queues.start(settings);
  }

  void stop(LogQueueService queue) {
    queues.stop(queue);
  }

  @AfterEach
  void stopAll() {
    queues.close();
  }

  static List<MessageId> ids(String... ids) {
    return java.util.Arrays.stream(ids).map(MessageId::of).toList();
  }

  @Test
  void anIdAppendedBeforeIsAnsweredWithItsOffsetAndNotStoredAgain() {
    LogQueueService queue = start(QueueSettings.defaults());
    ProducerId first = await(queue.registerProducer(LOGS));
    ProducerId second = await(queue.registerProducer(LOGS));
    ProducerId other = await(queue.registerProducer(METRICS));

    assertEquals(
        new Appended(List.of(0L), 0), await(queue.produce(LOGS, first, List.of("a"), ids("x"))));
    assertEquals(
        new Appended(List.of(0L), 1),
        await(queue.produce(LOGS, first, List.of("a again"), ids("x"))),
        "a retry");
    assertEquals(
        new Appended(List.of(0L), 1),
        await(queue.produce(LOGS, second, List.of("a"), ids("x"))),
        "another producer of the topic");
    assertEquals(
        new Appended(List.of(0L), 0),
        await(queue.produce(METRICS, other, List.of("a"), ids("x"))),
        "another topic has its own ids");
    assertEquals(
        new Appended(List.of(1L, 0L, 2L, 1L, 3L), 2),
        await(
            queue.produce(
                LOGS, first, List.of("b", "a", "c", "b", "d"), ids("y", "x", "z", "y", "w"))),
        "within a batch too");
    assertEquals(
        new Appended(List.of(4L, 5L), 0),
        await(queue.produce(LOGS, first, List.of("no id", "no id"))),
        "messages without ids are always stored");
    assertEquals(List.of("a", "b", "c", "d", "no id", "no id"), store.messages(new TopicId(1)));
  }

  @Test
  void theWindowSurvivesARestart() {
    LogQueueService before = start(QueueSettings.defaults());
    ProducerId producer = await(before.registerProducer(LOGS));
    await(before.produce(LOGS, producer, List.of("a", "b"), ids("x", "y")));
    stop(before);

    LogQueueService after = start(QueueSettings.defaults());
    assertEquals(
        new Appended(List.of(1L, 2L), 1),
        await(after.produce(LOGS, producer, List.of("b", "c"), ids("y", "z"))));
    assertEquals(List.of("a", "b", "c"), store.messages(new TopicId(1)));
  }

  @Test
  void anIdOlderThanTheWindowIsStoredAgain() throws InterruptedException {
    LogQueueService queue = start(QueueSettings.defaults().withDedup(Duration.ofMillis(200), 100));
    ProducerId producer = await(queue.registerProducer(LOGS));
    await(queue.produce(LOGS, producer, List.of("a"), ids("x")));
    assertEquals(1, await(queue.produce(LOGS, producer, List.of("a"), ids("x"))).duplicates());
    Thread.sleep(300);
    assertEquals(
        new Appended(List.of(1L), 0), await(queue.produce(LOGS, producer, List.of("a"), ids("x"))));
    stop(queue);

    LogQueueService restarted =
        start(QueueSettings.defaults().withDedup(Duration.ofMillis(200), 100));
    Thread.sleep(300);
    assertEquals(
        new Appended(List.of(2L), 0),
        await(restarted.produce(LOGS, producer, List.of("a"), ids("x"))),
        "the restored window is bounded in time too");
  }

  @Test
  void theWindowHoldsAtMostMaxIdsTheMostRecent() {
    QueueSettings settings = QueueSettings.defaults().withDedup(Duration.ofMinutes(2), 2);
    LogQueueService queue = start(settings);
    ProducerId producer = await(queue.registerProducer(LOGS));
    await(queue.produce(LOGS, producer, List.of("a", "b", "c"), ids("x", "y", "z")));
    assertEquals(
        new Appended(List.of(2L, 3L), 1),
        await(queue.produce(LOGS, producer, List.of("c", "a"), ids("z", "x"))),
        "x was the oldest of three");
    stop(queue);
    LogQueueService restarted = start(settings);
    assertEquals(
        new Appended(List.of(3L, 4L), 1),
        await(restarted.produce(LOGS, producer, List.of("a", "b"), ids("x", "y"))));
  }

  @Test
  void aConsumerSeesEachMessageOnce() {
    LogQueueService queue = start(QueueSettings.defaults());
    ProducerId producer = await(queue.registerProducer(LOGS));
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    for (int retry = 0; retry < 3; retry++) {
      await(queue.produce(LOGS, producer, List.of("a", "b"), ids("x", "y")));
    }
    assertEquals(List.of("a", "b"), await(texts(queue.consume(LOGS, consumer, 10, Duration.ZERO))));
  }
}
