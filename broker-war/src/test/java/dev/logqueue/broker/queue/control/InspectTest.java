package dev.logqueue.broker.queue.control;

import static dev.logqueue.broker.queue.control.ExplicitConsumerTest.DLQ;
import static dev.logqueue.broker.queue.control.ExplicitConsumerTest.ack;
import static dev.logqueue.broker.queue.control.ExplicitConsumerTest.reject;
import static dev.logqueue.broker.queue.control.ExplicitConsumerTest.release;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.await;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.control.TopicDetails.ConsumerDetails;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading a topic without a consumer, and what a topic's details count and measure. */
class InspectTest {

  static final TopicName LOGS = TopicName.of("logs");

  final MemoryLogStore store = new MemoryLogStore();
  final Queues queues = new Queues(store);
  // windows of 5 messages: most of a topic is history, read back from the store
  final LogQueueService queue =
      queues.start(QueueSettings.defaults().withWindow(5, 1 << 20).withMemory(5, 1 << 20, 4));
  final ProducerId producer = await(queue.registerProducer(LOGS));

  @AfterEach
  void stopAll() {
    queues.close();
  }

  void produce(int from, int count) {
    await(
        queue.produce(
            LOGS, producer, IntStream.range(from, from + count).mapToObj(i -> "m" + i).toList()));
  }

  List<String> browse(OptionalLong offset, OptionalLong timestamp, int max) {
    return await(queue.browse(LOGS, offset, timestamp, max)).records().stream()
        .map(r -> r.offset() + ":" + r.message().text())
        .toList();
  }

  @Test
  void browsingReadsFromAnOffsetOrTheNewestInAndBehindTheWindowAndMovesNobody() {
    ConsumerId consumer = await(queue.registerConsumer(LOGS)).id();
    produce(0, 20);
    assertEquals(
        List.of("17:m17", "18:m18", "19:m19"),
        browse(OptionalLong.empty(), OptionalLong.empty(), 3));
    assertEquals(
        List.of("2:m2", "3:m3", "4:m4", "5:m5"),
        browse(OptionalLong.of(2), OptionalLong.empty(), 4));
    assertEquals(
        List.of("13:m13", "14:m14", "15:m15", "16:m16", "17:m17", "18:m18", "19:m19"),
        browse(OptionalLong.of(13), OptionalLong.empty(), 100),
        "across the window's start, up to the end");
    assertEquals(List.of(), browse(OptionalLong.of(20), OptionalLong.empty(), 10), "at the end");
    assertEquals(List.of(), browse(OptionalLong.of(500), OptionalLong.empty(), 10));
    Browsed all = await(queue.browse(LOGS, OptionalLong.empty(), OptionalLong.empty(), 1000));
    assertEquals(20, all.records().size(), "fewer than max: all of them");
    assertEquals(0, all.start());
    assertEquals(20, all.end());
    assertEquals(20, queue.size(LOGS, consumer), "the consumer read none of it");
    assertEquals(
        ErrorCode.BAD_REQUEST,
        refusal(() -> queue.browse(LOGS, OptionalLong.of(1), OptionalLong.of(1), 10)));
    assertEquals(
        ErrorCode.TOPIC_NOT_FOUND,
        refusal(
            () ->
                queue.browse(
                    TopicName.of("nope"), OptionalLong.empty(), OptionalLong.empty(), 10)));
  }

  @Test
  void browsingByTimeStartsAtTheFirstMessageAppendedAtOrAfterIt() throws Exception {
    produce(0, 10); // behind the window once more come
    Thread.sleep(20);
    long between = System.currentTimeMillis();
    Thread.sleep(20);
    produce(10, 10);
    assertEquals(
        List.of("10:m10", "11:m11"), browse(OptionalLong.empty(), OptionalLong.of(between), 2));
    produce(20, 10); // now m10.. are behind the window too
    assertEquals(
        List.of("10:m10", "11:m11"), browse(OptionalLong.empty(), OptionalLong.of(between), 2));
    assertEquals(List.of("0:m0"), browse(OptionalLong.empty(), OptionalLong.of(0), 1));
    assertEquals(
        List.of(),
        browse(OptionalLong.empty(), OptionalLong.of(System.currentTimeMillis() + 60_000), 5));
  }

  @Test
  void browsingBelowTheRetainedStartReadsFromTheStart() {
    await(queue.createTopic(TopicName.of("kept"), new Retention(0, 6)));
    ProducerId writer = await(queue.registerProducer(TopicName.of("kept")));
    await(queue.produce(TopicName.of("kept"), writer, List.of("a1", "a2", "a3", "a4", "a5")));
    waitFor(() -> await(queue.topic(TopicName.of("kept"))).start() == 2);
    Browsed browsed =
        await(queue.browse(TopicName.of("kept"), OptionalLong.of(0), OptionalLong.empty(), 10));
    assertEquals(2, browsed.start());
    assertEquals(
        List.of(2L, 3L, 4L), browsed.records().stream().map(Taken.Record::offset).toList());
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    dev.logqueue.testkit.Eventually.eventually("retained", Duration.ofSeconds(10), condition);
  }

  @Test
  void detailsTellHowLongAgoEachConsumerFellBehindAndWhatItsDeliveriesCounted() throws Exception {
    ConsumerId reader = await(queue.registerConsumer(LOGS)).id();
    ConsumerId worker =
        await(
                queue.registerConsumer(
                    LOGS, new ConsumerSettings(null, true, 1_000, 2, DLQ), Start.EARLIEST))
            .id();
    long before = System.currentTimeMillis();
    produce(0, 12);
    TopicDetails empty = await(queue.topic(LOGS));
    assertTrue(empty.oldestTimestamp() >= before, "the oldest message's time");
    Thread.sleep(100);
    await(queue.consume(LOGS, reader, 2, Duration.ZERO)); // at 2: behind the window of 5
    List<Long> leased =
        await(queue.consume(LOGS, worker, 4, Duration.ZERO)).records().stream()
            .map(Taken.Record::offset)
            .toList();
    assertEquals(List.of(0L, 1L, 2L, 3L), leased);
    await(queue.ack(LOGS, worker, ack(0L, 1L)));
    await(queue.ack(LOGS, worker, release(0, 2L)));
    await(queue.ack(LOGS, worker, reject(3L)));
    assertEquals(
        List.of(2L), offsetsOf(await(queue.consume(LOGS, worker, 1, Duration.ZERO))), "again");

    TopicDetails topic = await(queue.topic(LOGS));
    assertEquals(12, topic.appendedMessages());
    assertEquals(2 * 10 + 3 * 2, topic.appendedBytes(), "m0..m9 and m10, m11");
    ConsumerDetails auto = topic.consumers().get(0);
    assertEquals(10, auto.lag());
    long waited = System.currentTimeMillis() - before;
    assertTrue(
        auto.lagMillis() >= 100 && auto.lagMillis() <= waited,
        auto.lagMillis() + " ms behind, at most " + waited);
    assertEquals(0, auto.acked());
    ConsumerDetails explicit = topic.consumers().get(1);
    assertEquals(2, explicit.acked());
    assertEquals(1, explicit.redelivered(), "2, released and leased again");
    assertEquals(1, explicit.deadLettered(), "3, rejected");
    assertEquals(2, explicit.offset(), "its floor");
    assertTrue(explicit.lagMillis() >= 100, explicit.lagMillis() + " ms");

    await(queue.consume(LOGS, reader, 10, Duration.ZERO));
    assertEquals(0, await(queue.topic(LOGS)).consumers().get(0).lagMillis(), "read it all");
    List<TopicDetails> all = await(queue.topicDetails());
    assertEquals(List.of(LOGS, DLQ), all.stream().map(TopicDetails::name).toList());
    assertEquals(1, all.get(1).appendedMessages(), "the dead-lettered copy");
    assertNotNull(all.get(1).consumers());

    await(queue.deleteTopic(LOGS));
    await(queue.createTopic(LOGS));
    assertEquals(0, await(queue.topic(LOGS)).appendedMessages(), "a new topic counts anew");
    assertEquals(0, await(queue.topic(LOGS)).oldestTimestamp(), "none: no message");
  }

  private static List<Long> offsetsOf(Taken taken) {
    return taken.records().stream().map(Taken.Record::offset).toList();
  }
}
