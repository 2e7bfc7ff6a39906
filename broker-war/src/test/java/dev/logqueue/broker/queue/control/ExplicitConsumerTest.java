package dev.logqueue.broker.queue.control;

import static dev.logqueue.broker.queue.control.LogQueueServiceTest.LOGS;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.await;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.control.Taken.Record;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Explicit (at-least-once) consumers, durable names and seek: the queue's rules, in memory. */
class ExplicitConsumerTest {

  static final TopicName DLQ = TopicName.of("logs.dlq");
  static final long LEASE = 1_000;

  final MemoryLogStore store = new MemoryLogStore();
  final Queues queues = new Queues(store);
  LogQueueService queue = queues.start(QueueSettings.defaults());
  ProducerId producer = await(queue.registerProducer(LOGS));

  @AfterEach
  void stopAll() {
    queues.close();
  }

  static ConsumerSettings explicit(String name) {
    return new ConsumerSettings(name, true, LEASE, 0, null);
  }

  ConsumerId register(ConsumerSettings settings) {
    return await(queue.registerConsumer(LOGS, settings, Start.EARLIEST)).id();
  }

  void produce(String... texts) {
    await(queue.produce(LOGS, producer, List.of(texts)));
  }

  Taken take(ConsumerId consumer, int max) {
    return await(queue.consume(LOGS, consumer, max, Duration.ZERO));
  }

  static List<Long> offsets(Taken taken) {
    return taken.records().stream().map(Record::offset).toList();
  }

  static List<Integer> deliveries(Taken taken) {
    return taken.records().stream().map(Record::delivery).toList();
  }

  static AckRequest ack(Long... offsets) {
    return new AckRequest(List.of(offsets), Optional.empty(), List.of(), List.of(), List.of(), 0);
  }

  static AckRequest release(long delay, Long... offsets) {
    return new AckRequest(
        List.of(), Optional.empty(), List.of(offsets), List.of(), List.of(), delay);
  }

  static AckRequest extend(Long... offsets) {
    return new AckRequest(List.of(), Optional.empty(), List.of(), List.of(offsets), List.of(), 0);
  }

  static AckRequest reject(Long... offsets) {
    return new AckRequest(List.of(), Optional.empty(), List.of(), List.of(), List.of(offsets), 0);
  }

  static AckRequest ackUntil(long until) {
    return new AckRequest(List.of(), Optional.of(until), List.of(), List.of(), List.of(), 0);
  }

  @Test
  void aLeaseThatExpiresGivesTheMessageAgainWithItsDeliveryCount() throws InterruptedException {
    ConsumerId consumer = register(explicit(null));
    produce("a", "b", "c");
    Taken first = take(consumer, 2);
    assertEquals(List.of(0L, 1L), offsets(first));
    assertEquals(List.of(1, 1), deliveries(first));
    assertTrue(first.leaseUntil() >= System.currentTimeMillis() + LEASE - 200);
    assertEquals(List.of(2L), offsets(take(consumer, 5)), "leased ones are not given twice");
    assertTrue(take(consumer, 5).isEmpty(), "an empty list, no failure");
    assertEquals(3, queue.size(LOGS, consumer), "leased is not settled");

    await(queue.ack(LOGS, consumer, ack(1L)));
    Thread.sleep(LEASE + 200);
    Taken again = take(consumer, 5);
    assertEquals(List.of(0L, 2L), offsets(again), "expired leases first, lowest offset first");
    assertEquals(List.of(2, 2), deliveries(again));
    assertEquals("a", again.records().get(0).message().text());
    await(queue.ack(LOGS, consumer, ackUntil(3)));
    assertEquals(0, queue.size(LOGS, consumer));
    assertTrue(take(consumer, 5).isEmpty());
  }

  @Test
  void manyClientsOfOneConsumerSplitTheMessagesNoneGivenTwiceWhileLeased() throws Exception {
    queues.stop(queue);
    queue = queues.start(QueueSettings.defaults());
    ConsumerId consumer =
        await(
                queue.registerConsumer(
                    LOGS, new ConsumerSettings("workers", true, 60_000, 0, null), Start.EARLIEST))
            .id();
    for (int batch = 0; batch < 10; batch++) {
      int from = batch * 1_000;
      await(
          queue.produce(
              LOGS,
              producer,
              IntStream.range(from, from + 1_000).mapToObj(i -> "m-" + i).toList()));
    }
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    List<Long> twice = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(
          CompletableFuture.runAsync(
              () -> {
                AckRequest previous = AckRequest.NONE;
                while (true) {
                  Taken taken =
                      await(
                          queue.consume(
                              LOGS, consumer, 1 + seen.size() % 97, Duration.ZERO, previous));
                  if (taken.isEmpty()) {
                    return;
                  }
                  for (Record record : taken.records()) {
                    if (!seen.add(record.offset())) {
                      twice.add(record.offset());
                    }
                    assertEquals("m-" + record.offset(), record.message().text());
                  }
                  previous =
                      new AckRequest(
                          offsets(taken), Optional.empty(), List.of(), List.of(), List.of(), 0);
                }
              }));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertEquals(List.of(), twice);
    assertEquals(10_000, seen.size());
    assertTrue(queue.size(LOGS, consumer) < 4 * 97, "only the last batches are not acked yet");
  }

  @Test
  void aReleasedMessageComesBackAfterItsDelayAnExtendedOneDoesNot() throws Exception {
    ConsumerId consumer = register(explicit(null));
    produce("a", "b");
    take(consumer, 2);
    Acked released = await(queue.ack(LOGS, consumer, release(400, 0L)));
    assertEquals(new Acked(0, 1, 0, 0), released);
    assertTrue(take(consumer, 5).isEmpty(), "not before its delay");
    Thread.sleep(500);
    Taken back = take(consumer, 5);
    assertEquals(List.of(0L), offsets(back));
    assertEquals(List.of(2), deliveries(back));

    ConsumerId other = register(new ConsumerSettings(null, true, 2_000, 0, null));
    assertEquals(List.of(0L, 1L), offsets(take(other, 2)));
    Thread.sleep(1_000);
    assertEquals(new Acked(0, 0, 2, 0), await(queue.ack(LOGS, other, extend(0L, 1L))));
    Thread.sleep(1_500); // 500 ms past the first leases, 500 ms within the extended ones
    assertTrue(take(other, 5).isEmpty(), "extended: not given again");
    Thread.sleep(1_000);
    assertEquals(List.of(0L, 1L), offsets(take(other, 5)));
  }

  @Test
  void aWaitingConsumeTakesAReleasedMessage() throws Exception {
    ConsumerId consumer = register(explicit(null));
    produce("a");
    take(consumer, 1);
    CompletableFuture<Taken> waiting = queue.consume(LOGS, consumer, 5, Duration.ofSeconds(20));
    Thread.sleep(100);
    assertFalse(waiting.isDone());
    await(queue.ack(LOGS, consumer, release(0, 0L)));
    assertEquals(List.of(0L), offsets(waiting.get(5, TimeUnit.SECONDS)));

    CompletableFuture<Taken> untilExpiry = queue.consume(LOGS, consumer, 5, Duration.ofSeconds(20));
    assertEquals(
        List.of(0L),
        offsets(untilExpiry.get(5, TimeUnit.SECONDS)),
        "a wait ends when a lease expires");
  }

  @Test
  void afterMaxDeliveriesOrARejectTheMessageGoesToTheDeadLetterTopicWithItsOrigin()
      throws InterruptedException {
    ConsumerId consumer = register(new ConsumerSettings(null, true, LEASE, 2, DLQ));
    produce("poison", "fine", "bad");
    assertEquals(List.of(0L, 1L, 2L), offsets(take(consumer, 3)));
    await(queue.ack(LOGS, consumer, ack(1L)));
    assertEquals(new Acked(0, 0, 0, 1), await(queue.ack(LOGS, consumer, reject(2L))));
    Thread.sleep(LEASE + 200);
    assertEquals(List.of(2), deliveries(take(consumer, 3)));
    Thread.sleep(LEASE + 200);
    assertTrue(take(consumer, 3).isEmpty(), "delivered twice: dead-lettered, not given again");
    assertEquals(0, queue.size(LOGS, consumer), "dead-lettered counts as settled");

    TopicId dlq = new TopicId(2);
    List<Message> dead = store.stored(dlq);
    assertEquals(List.of("bad", "poison"), dead.stream().map(Message::text).toList());
    assertEquals(new Message.Origin(LOGS, 2, 1), dead.get(0).origin());
    assertEquals(new Message.Origin(LOGS, 0, 2), dead.get(1).origin());
    assertTrue(queue.topics().contains(DLQ), "created when first needed");

    ConsumerId reader = await(queue.registerConsumer(DLQ, explicit(null), Start.EARLIEST)).id();
    Taken copies = await(queue.consume(DLQ, reader, 5, Duration.ZERO));
    assertEquals(new Message.Origin(LOGS, 0, 2), copies.records().get(1).message().origin());
  }

  @Test
  void aMessageIsDeadLetteredWhenItsLastLeaseEndsEvenIfNobodyConsumesAgain()
      throws InterruptedException {
    ConsumerId consumer = register(new ConsumerSettings(null, true, LEASE, 1, DLQ));
    produce("abandoned");
    take(consumer, 1);
    long deadline = System.currentTimeMillis() + LEASE + 5_000;
    while (store.stored(new TopicId(2)).isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(
        List.of(new Message.Origin(LOGS, 0, 1)),
        store.stored(new TopicId(2)).stream().map(Message::origin).toList());
    assertEquals(0, queue.size(LOGS, consumer));
  }

  @Test
  void aRejectWithoutADeadLetterTopicSettlesTheMessage() {
    ConsumerId consumer = register(explicit(null));
    produce("a");
    take(consumer, 1);
    await(queue.ack(LOGS, consumer, reject(0L)));
    assertEquals(0, queue.size(LOGS, consumer));
  }

  @Test
  void acksAreCheckedAllOrNothing() throws InterruptedException {
    ConsumerId consumer = register(explicit(null));
    ConsumerId auto = await(queue.registerConsumer(LOGS)).id();
    produce("a", "b", "c");
    take(consumer, 2);
    assertEquals(ErrorCode.NOT_DELIVERED, refusal(() -> queue.ack(LOGS, consumer, ack(0L, 2L))));
    assertEquals(ErrorCode.NOT_DELIVERED, refusal(() -> queue.ack(LOGS, consumer, ack(3L))));
    assertEquals(ErrorCode.NOT_DELIVERED, refusal(() -> queue.ack(LOGS, consumer, ackUntil(4))));
    assertEquals(ErrorCode.NOT_DELIVERED, refusal(() -> queue.ack(LOGS, consumer, release(0, 2L))));
    assertEquals(ErrorCode.NOT_EXPLICIT, refusal(() -> queue.ack(LOGS, auto, ack(0L))));
    assertEquals(
        ErrorCode.NOT_EXPLICIT,
        refusal(() -> queue.consume(LOGS, auto, 1, Duration.ZERO, ack(0L))));
    assertEquals(3, queue.size(LOGS, consumer), "the refused ack of 0 did nothing");

    assertEquals(new Acked(1, 0, 0, 0), await(queue.ack(LOGS, consumer, ack(0L))));
    assertEquals(new Acked(0, 0, 0, 0), await(queue.ack(LOGS, consumer, ack(0L))), "twice: fine");
    Thread.sleep(LEASE + 200);
    assertEquals(ErrorCode.LEASE_EXPIRED, refusal(() -> queue.ack(LOGS, consumer, extend(1L))));
    assertEquals(ErrorCode.LEASE_EXPIRED, refusal(() -> queue.ack(LOGS, consumer, release(0, 1L))));
    assertEquals(ErrorCode.LEASE_EXPIRED, refusal(() -> queue.ack(LOGS, consumer, release(0, 0L))));
    assertEquals(
        new Acked(1, 0, 0, 0), await(queue.ack(LOGS, consumer, ack(1L))), "late ack: fine");
  }

  @Test
  void acknowledgementsAreDurableAndTheRestIsGivenAgainAfterARestart() {
    ConsumerId consumer = register(explicit("durable"));
    produce("a", "b", "c", "d", "e");
    take(consumer, 5);
    await(queue.ack(LOGS, consumer, ack(0L, 2L, 3L)));
    assertEquals(List.of(2L, 3L), store.acks(consumer.value()));
    assertEquals(1, store.offset(consumer.value()), "the floor");

    queues.stop(queue);
    queue = queues.start(QueueSettings.defaults());
    assertEquals(2, queue.size(LOGS, consumer));
    Taken again = take(consumer, 5);
    assertEquals(List.of(1L, 4L), offsets(again));
    assertEquals(List.of(1, 1), deliveries(again), "delivery counts start over");
    assertEquals(new Acked(1, 0, 0, 0), await(queue.ack(LOGS, consumer, ack(1L))));
    assertEquals(4, store.offset(consumer.value()));
    assertEquals(List.of(), store.acks(consumer.value()), "rows below the floor are gone");

    queues.stop(queue);
    queue = queues.start(QueueSettings.defaults());
    assertEquals(
        new Acked(1, 0, 0, 0),
        await(queue.ack(LOGS, consumer, ack(4L))),
        "given before the restart: may be acknowledged after it");
    assertEquals(0, queue.size(LOGS, consumer));
  }

  @Test
  void aConsumerHoldsAtMostMaxLeases() {
    queues.stop(queue);
    queue = queues.start(QueueSettings.defaults().withMaxLeases(3));
    ConsumerId consumer = register(explicit(null));
    produce("a", "b", "c", "d", "e");
    assertEquals(List.of(0L, 1L), offsets(take(consumer, 2)));
    assertEquals(List.of(2L), offsets(take(consumer, 5)));
    assertTrue(take(consumer, 5).isEmpty(), "three leased: no more");
    await(queue.ack(LOGS, consumer, ack(1L)));
    assertEquals(List.of(3L), offsets(take(consumer, 5)));
  }

  @Test
  void aDurableNameIsRegisteredOnceWithItsSettings() {
    produce("a", "b");
    Registered first = await(queue.registerConsumer(LOGS, explicit("billing"), Start.LATEST));
    assertFalse(first.existing());
    assertEquals(2, first.offset(), "latest: the end");
    produce("c");
    Registered again = await(queue.registerConsumer(LOGS, explicit("billing"), Start.EARLIEST));
    assertTrue(again.existing());
    assertEquals(first.id(), again.id());
    assertEquals(
        ErrorCode.CONSUMER_EXISTS,
        refusal(
            () ->
                queue.registerConsumer(
                    LOGS, new ConsumerSettings("billing", true, 5_000, 0, null), Start.EARLIEST)));
    assertEquals(
        ErrorCode.CONSUMER_EXISTS,
        refusal(
            () ->
                queue.registerConsumer(
                    LOGS,
                    new ConsumerSettings("billing", false, 30_000, 0, null),
                    Start.EARLIEST)));
    assertEquals(List.of(2L), offsets(take(first.id(), 5)));
    await(queue.createTopic(TopicName.of("other")));
    assertNotNull(
        await(queue.registerConsumer(TopicName.of("other"), explicit("billing"), Start.EARLIEST))
            .id(),
        "a name is unique within a topic only");
  }

  @Test
  void aConsumerStartsWhereItIsTold() {
    produce("a", "b", "c");
    ConsumerId latest = await(queue.registerConsumer(LOGS, ConsumerSettings.V1, Start.LATEST)).id();
    ConsumerId atOne = await(queue.registerConsumer(LOGS, ConsumerSettings.V1, Start.at(1))).id();
    ConsumerId past = await(queue.registerConsumer(LOGS, ConsumerSettings.V1, Start.at(99))).id();
    assertEquals(0, queue.size(LOGS, latest));
    assertEquals(2, queue.size(LOGS, atOne));
    assertEquals(0, queue.size(LOGS, past), "clamped to the end");
    produce("d");
    assertEquals(List.of("d"), await(Queues.texts(queue.consume(LOGS, latest, 5, Duration.ZERO))));
  }

  @Test
  void seekMovesToAnOffsetOrATimeAndDropsLeasesAndAcks() throws InterruptedException {
    ConsumerId consumer = register(explicit(null));
    ConsumerId auto = await(queue.registerConsumer(LOGS)).id();
    produce("a", "b");
    Thread.sleep(20);
    long between = System.currentTimeMillis();
    Thread.sleep(20);
    produce("c", "d");
    take(consumer, 4);
    await(queue.ack(LOGS, consumer, ack(3L)));

    assertEquals(
        2L, await(queue.seek(LOGS, consumer, OptionalLong.empty(), OptionalLong.of(between))));
    assertEquals(2, queue.size(LOGS, consumer), "the ack of 3 above the position is dropped");
    Taken again = take(consumer, 5);
    assertEquals(List.of(2L, 3L), offsets(again), "given again, leases dropped");
    assertEquals(List.of(1, 1), deliveries(again), "as new");
    assertEquals(0L, await(queue.seek(LOGS, consumer, OptionalLong.of(0), OptionalLong.empty())));
    assertEquals(List.of(0L, 1L, 2L, 3L), offsets(take(consumer, 5)));
    assertEquals(4L, await(queue.seek(LOGS, consumer, OptionalLong.of(77), OptionalLong.empty())));
    assertEquals(0, queue.size(LOGS, consumer));

    assertEquals(2L, await(queue.seek(LOGS, auto, OptionalLong.empty(), OptionalLong.of(between))));
    assertEquals(
        List.of("c", "d"), await(Queues.texts(queue.consume(LOGS, auto, 5, Duration.ZERO))));
    assertEquals(
        4L,
        await(
            queue.seek(
                LOGS, auto, OptionalLong.empty(), OptionalLong.of(System.currentTimeMillis() + 1))),
        "after the last message: the end");
  }
}
