package dev.logqueue.broker.queue.control;

import static dev.logqueue.broker.queue.control.LogQueueServiceTest.await;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.refusal;
import static dev.logqueue.testkit.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Members of a cluster on one store, with a placement the test moves by hand: each serves the
 * topics of its slots only, ids are unique among them, and a member whose slot was claimed by
 * another can commit nothing more to it.
 */
class ClusterMembersTest {

  static final int SLOTS = 8;

  final MemoryLogStore store = new MemoryLogStore();
  final Map<Integer, String> owners = new ConcurrentHashMap<>();
  final List<QueueEngine> engines = new ArrayList<>();
  final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();

  static int slot(String key) {
    return Math.floorMod(key.hashCode(), SLOTS);
  }

  /** A topic name whose slot is {@code slot}. */
  static TopicName inSlot(int slot, String prefix) {
    return IntStream.range(0, 10_000)
        .mapToObj(i -> TopicName.of(prefix + i))
        .filter(name -> slot(name.value()) == slot)
        .findFirst()
        .orElseThrow();
  }

  Placement placement(String member) {
    return new Placement() {
      @Override
      public Claims claim() {
        Set<Integer> mine = new TreeSet<>();
        owners.forEach(
            (slot, owner) -> {
              if (owner.equals(member)) {
                mine.add(slot);
              }
            });
        return Claims.of(ClusterMembersTest::slot, store.claim(mine), member);
      }

      @Override
      public void onChange(Runnable listener) {
        listeners.computeIfAbsent(member, m -> new CopyOnWriteArrayList<>()).add(listener);
      }

      @Override
      public long nextId(IdKind kind) {
        return store.nextId(kind);
      }

      @Override
      public List<TopicName> topicNames() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<TopicRow> storedTopic(TopicName name) {
        return store.topicRow(name);
      }

      @Override
      public Optional<ProducerRow> storedProducer(ProducerId id) {
        return store.producerRow(id);
      }

      @Override
      public Optional<ConsumerRow> storedConsumer(ConsumerId id) {
        return store.consumerRow(id);
      }
    };
  }

  LogQueueService member(String name) {
    QueueEngine engine = new QueueEngine(store, QueueSettings.defaults(), placement(name));
    assertTrue(engine.start(), "restored");
    engines.add(engine);
    return new LogQueueService(engine);
  }

  /** Moves a slot to another member, and tells every member that placement moved. */
  void move(int slot, String to) {
    owners.put(slot, to);
    listeners.values().forEach(all -> all.forEach(Runnable::run));
  }

  @AfterEach
  void stop() {
    engines.forEach(QueueEngine::stop);
  }

  @Test
  void eachMemberServesTheTopicsOfItsSlotsOnly() {
    owners.put(0, "a");
    owners.put(1, "b");
    LogQueueService a = member("a");
    LogQueueService b = member("b");
    TopicName ofA = inSlot(0, "a");
    TopicName ofB = inSlot(1, "b");

    await(a.createTopic(ofA));
    await(b.createTopic(ofB));
    assertEquals(ErrorCode.UNAVAILABLE, refusal(() -> a.createTopic(ofB)));
    assertEquals(ErrorCode.UNAVAILABLE, refusal(() -> b.registerProducer(ofA)));
    // a slot nobody holds: nobody serves it, and nobody says the topic is missing
    TopicName orphan = inSlot(5, "o");
    assertEquals(ErrorCode.UNAVAILABLE, refusal(() -> a.registerConsumer(orphan)));
  }

  @Test
  void idsAreUniqueAmongTheMembers() {
    owners.put(0, "a");
    owners.put(1, "b");
    LogQueueService a = member("a");
    LogQueueService b = member("b");
    Set<Long> ids = new TreeSet<>();
    for (int i = 0; i < 5; i++) {
      ids.add(await(a.registerProducer(inSlot(0, "a"))).value());
      ids.add(await(b.registerProducer(inSlot(1, "b"))).value());
    }
    assertEquals(10, ids.size(), ids.toString());
  }

  @Test
  void aSlotTakenOverIsServedByItsNewMemberAndFencesTheFormerOne() throws Exception {
    owners.put(0, "a");
    owners.put(1, "b");
    LogQueueService a = member("a");
    LogQueueService b = member("b");
    TopicName topic = inSlot(0, "t");
    ProducerId producer = await(a.registerProducer(topic));
    await(a.produce(topic, producer, List.of("1", "2")));

    // b takes slot 0 over; a has not heard of it yet (its listeners are dropped: a paused member)
    owners.put(0, "b");
    listeners.get("b").forEach(Runnable::run);
    eventually(
        "b serves the topic",
        Duration.ofSeconds(5),
        () -> {
          try {
            return b.size(topic, await(b.registerConsumer(topic)).id()) == 2;
          } catch (LogQueueException reloading) {
            return false;
          }
        });

    LogQueueException fenced =
        org.junit.jupiter.api.Assertions.assertThrows(
            LogQueueException.class, () -> await(a.produce(topic, producer, List.of("3"))));
    assertEquals(ErrorCode.UNAVAILABLE, fenced.error());
    assertTrue(store.fenced.get() >= 1, "the store refused the former member's commit");

    // the former member reloads with the placement it finds: it no longer serves the topic
    eventually("a reloaded", Duration.ofSeconds(5), () -> engines.get(0).isReady());
    assertEquals(ErrorCode.UNAVAILABLE, refusal(() -> a.produce(topic, producer, List.of("4"))));

    await(b.produce(topic, producer, List.of("5")));
    var consumer = await(b.registerConsumer(topic)).id();
    List<String> texts = await(b.consume(topic, consumer, 10, Duration.ZERO)).texts();
    assertEquals(List.of("1", "2", "5"), texts, "nothing of the fenced member, nothing lost");
  }

  /**
   * A member that lost its slot and does not know it yet answers an explicit consumer from its own
   * memory: an ack of an offset the new member gave must not be refused as never given (409), but
   * answered 503, for the member's slot moved.
   */
  @Test
  void aFormerMemberDoesNotRefuseAnAckOfWhatTheNewMemberGave() throws Exception {
    owners.put(0, "a");
    owners.put(1, "b");
    LogQueueService a = member("a");
    LogQueueService b = member("b");
    TopicName topic = inSlot(0, "t");
    ProducerId producer = await(a.registerProducer(topic));
    await(a.produce(topic, producer, List.of("1", "2")));
    ConsumerSettings explicit = new ConsumerSettings(null, true, 60_000, 0, null);
    var consumer = await(a.registerConsumer(topic, explicit, Start.EARLIEST)).id();

    owners.put(0, "b"); // a has not heard of it
    listeners.get("b").forEach(Runnable::run);
    eventually(
        "b serves the topic",
        Duration.ofSeconds(5),
        () -> {
          try {
            await(b.produce(topic, producer, List.of("3")));
            return true;
          } catch (LogQueueException reloading) {
            return false;
          }
        });
    assertEquals(3, await(b.consume(topic, consumer, 10, Duration.ZERO)).texts().size());

    AckRequest third =
        new AckRequest(List.of(2L), java.util.Optional.empty(), List.of(), List.of(), List.of(), 0);
    LogQueueException stale =
        org.junit.jupiter.api.Assertions.assertThrows(
            LogQueueException.class, () -> await(a.ack(topic, consumer, third)));
    assertEquals(ErrorCode.UNAVAILABLE, stale.error(), stale.getMessage());
    assertEquals(1, await(b.ack(topic, consumer, third)).acked(), "the member serving it takes it");
  }

  @Test
  void aDeadLetterTopicLivesWithItsTopic() {
    owners.put(slot("orders"), "a");
    LogQueueService a = member("a");
    TopicName orders = TopicName.of("orders");
    await(a.createTopic(orders));
    ConsumerSettings elsewhere =
        new ConsumerSettings(null, true, 1000, 3, TopicName.of("dead-letters"));
    assertEquals(
        ErrorCode.BAD_REQUEST,
        LogQueueServiceTest.refusalOf(() -> a.registerConsumer(orders, elsewhere, Start.EARLIEST)));
    ConsumerSettings together =
        new ConsumerSettings(null, true, 1000, 3, TopicName.of("orders.dlq"));
    assertNotEquals(null, await(a.registerConsumer(orders, together, Start.EARLIEST)).id());
  }

  /**
   * A topic's partitions live where their own slots are: the member that serves a partition appends
   * to it with a producer another member registered, and opens the cursor of a consumer another
   * member registered, from the store; the member of the topic refuses that partition (503) and a
   * consume that names no partition (400).
   */
  @Test
  void aPartitionIsServedByTheMemberOfItsOwnSlot() throws Exception {
    TopicName topic = inSlot(0, "p");
    for (int slot = 0; slot < SLOTS; slot++) {
      owners.put(slot, slot == 0 ? "a" : "b");
    }
    LogQueueService a = member("a");
    LogQueueService b = member("b");
    Partitions onA = new Partitions(engines.get(0), a);
    Partitions onB = new Partitions(engines.get(1), b);
    await(onA.createTopic(topic, dev.logqueue.broker.queue.entity.Retention.DEFAULTS, 4));
    ProducerId producer = await(a.registerProducer(topic));
    ConsumerSettings explicit = new ConsumerSettings(null, true, 60_000, 0, null);
    ConsumerId consumer = await(a.registerConsumer(topic, explicit, Start.EARLIEST)).id();
    Partitions.Layout layout = onA.layout(topic);
    int remote =
        IntStream.range(1, 4)
            .filter(p -> slot(Claims.placementKey(layout.log(p))) != 0)
            .findFirst()
            .orElseThrow(() -> new AssertionError("all partitions in slot 0: " + layout));
    OptionalInt partition = OptionalInt.of(remote);

    Partitions.Produced produced =
        await(
            onB.produce(
                topic,
                partition,
                Optional.empty(),
                producer,
                List.of("x"),
                List.of(),
                Caller.ANYONE));
    assertEquals(remote, produced.partition());
    assertEquals(
        ErrorCode.UNAVAILABLE,
        refusal(
            () ->
                onA.produce(
                    topic,
                    partition,
                    Optional.empty(),
                    producer,
                    List.of("y"),
                    List.of(),
                    Caller.ANYONE)));
    ProducerId other = await(b.registerProducer(inSlot(1, "q")));
    assertEquals(
        ErrorCode.PRODUCER_TOPIC_MISMATCH,
        refusal(
            () ->
                onB.produce(
                    topic,
                    partition,
                    Optional.empty(),
                    other,
                    List.of("z"),
                    List.of(),
                    Caller.ANYONE)));

    Partitions.Gathered given =
        await(
            onB.consume(
                topic, consumer, partition, 10, Duration.ZERO, AckRequest.NONE, Caller.ANYONE));
    assertEquals(List.of("x"), given.records().stream().map(r -> r.message().text()).toList());
    assertEquals(1, given.records().get(0).delivery());
    assertEquals(
        ErrorCode.BAD_REQUEST,
        refusal(
            () ->
                onA.consume(
                    topic,
                    consumer,
                    OptionalInt.empty(),
                    10,
                    Duration.ZERO,
                    AckRequest.NONE,
                    Caller.ANYONE)));
    Acked acked =
        await(
            onB.ack(
                topic,
                consumer,
                partition,
                new AckRequest(
                    List.of(given.records().get(0).offset()),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    0),
                Caller.ANYONE));
    assertEquals(1, acked.acked());
  }
}
