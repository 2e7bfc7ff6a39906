package dev.logqueue.broker.queue.control;

import static dev.logqueue.broker.queue.control.LogQueueServiceTest.await;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.refusal;
import static dev.logqueue.broker.queue.control.LogQueueServiceTest.refusalOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.control.Partitions.Gathered;
import dev.logqueue.broker.queue.control.Partitions.Produced;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Topics of several partitions on a single broker: routing, order by key, consumers of all. */
class PartitionsTest {

  static final TopicName ORDERS = TopicName.of("orders");
  static final int COUNT = 3;

  final MemoryLogStore store = new MemoryLogStore();
  final Queues queues = new Queues(store);
  LogQueueService queue = queues.start(QueueSettings.defaults());
  Partitions partitions = partitionsOf(queue);

  Partitions partitionsOf(LogQueueService service) {
    return new Partitions(queues.engine(service), service);
  }

  @AfterEach
  void stopAll() {
    queues.close();
  }

  ProducerId createdWithProducer() {
    await(partitions.createTopic(ORDERS, Retention.DEFAULTS, COUNT));
    return await(queue.registerProducer(ORDERS));
  }

  Produced send(ProducerId producer, String key, String text) {
    return await(
        partitions.produce(
            ORDERS,
            OptionalInt.empty(),
            Optional.ofNullable(key),
            producer,
            List.of(text),
            List.of(),
            Caller.ANYONE));
  }

  Gathered take(ConsumerId consumer, OptionalInt partition, int max) {
    return await(
        partitions.consume(
            ORDERS, consumer, partition, max, Duration.ZERO, AckRequest.NONE, Caller.ANYONE));
  }

  /** Every message a consumer takes until it is given none, by partition. */
  Map<Integer, List<String>> drain(ConsumerId consumer) {
    Map<Integer, List<String>> taken = new TreeMap<>();
    for (Gathered batch = take(consumer, OptionalInt.empty(), 7);
        !batch.isEmpty();
        batch = take(consumer, OptionalInt.empty(), 7)) {
      for (Gathered.Part part : batch.parts()) {
        taken
            .computeIfAbsent(part.partition(), p -> new ArrayList<>())
            .addAll(part.taken().texts());
      }
    }
    return taken;
  }

  @Test
  void aKeyAlwaysGoesToTheSamePartitionAndKeepsItsOrder() {
    ProducerId producer = createdWithProducer();
    Map<String, Integer> partitionOf = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      String key = "customer-" + (i % 6);
      Produced produced = send(producer, key, key + ":" + i);
      Integer before = partitionOf.putIfAbsent(key, produced.partition());
      assertEquals(before == null ? produced.partition() : before, produced.partition(), key);
      assertEquals(Partition.forKey(key, COUNT), produced.partition());
      assertTrue(produced.partitioned());
    }
    assertTrue(partitionOf.values().stream().distinct().count() > 1, "keys spread: " + partitionOf);

    ConsumerId consumer = await(queue.registerConsumer(ORDERS)).id();
    Map<Integer, List<String>> taken = drain(consumer);
    assertEquals(60, taken.values().stream().mapToInt(List::size).sum());
    for (List<String> ofPartition : taken.values()) {
      Map<String, Integer> last = new HashMap<>();
      for (String text : ofPartition) {
        String key = text.substring(0, text.indexOf(':'));
        int number = Integer.parseInt(text.substring(text.indexOf(':') + 1));
        assertEquals(partitionOf.get(key), Partition.forKey(key, COUNT));
        assertTrue(last.getOrDefault(key, -1) < number, "in order within its key: " + text);
        last.put(key, number);
      }
    }
  }

  @Test
  void withoutKeyOrPartitionMessagesTakeTurnsAndAPartitionCanBeNamed() {
    ProducerId producer = createdWithProducer();
    List<Integer> went = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      went.add(send(producer, null, "m" + i).partition());
    }
    for (int p = 0; p < COUNT; p++) {
      assertEquals(2, java.util.Collections.frequency(went, p), "turns: " + went);
    }
    Produced named =
        await(
            partitions.produce(
                ORDERS,
                OptionalInt.of(2),
                Optional.of("ignored when the partition is named"),
                producer,
                List.of("to two"),
                List.of(),
                Caller.ANYONE));
    assertEquals(2, named.partition());
    assertEquals(2, named.appended().first(), "partition 2's own offsets: its third message");
    assertEquals(
        ErrorCode.BAD_REQUEST,
        refusalOf(
            () ->
                partitions.produce(
                    ORDERS,
                    OptionalInt.of(COUNT),
                    Optional.empty(),
                    producer,
                    List.of("x"),
                    List.of(),
                    Caller.ANYONE)));

    ConsumerId consumer = await(queue.registerConsumer(ORDERS)).id();
    Gathered two = take(consumer, OptionalInt.of(2), 10);
    assertEquals(
        List.of("m2", "m5", "to two"),
        two.records().stream().map(r -> r.message().text()).toList());
    assertEquals(4L, await(partitions.size(ORDERS, consumer, OptionalInt.empty(), Caller.ANYONE)));
    assertEquals(0L, await(partitions.size(ORDERS, consumer, OptionalInt.of(2), Caller.ANYONE)));
  }

  @Test
  void partitionsAreNeitherListedNorNameableByClients() {
    createdWithProducer();
    assertEquals(List.of(ORDERS), queue.topics());
    assertEquals(1, await(queue.topicDetails()).size());
    assertEquals(COUNT, await(queue.topicDetails()).get(0).partitions());
    assertEquals(ErrorCode.BAD_REQUEST, refusalOf(() -> TopicName.of("orders#1#1")));
    assertEquals(
        ErrorCode.BAD_REQUEST,
        refusal(() -> partitions.createTopic(TopicName.of("many"), Retention.DEFAULTS, 257)));
  }

  @Test
  void anExplicitConsumerAcksEachPartitionAndGetsTheRestAgainAfterARestart() {
    ProducerId producer = createdWithProducer();
    for (int i = 0; i < 9; i++) {
      send(producer, null, "m" + i);
    }
    ConsumerId consumer =
        await(
                queue.registerConsumer(
                    ORDERS, new ConsumerSettings(null, true, 1_000, 0, null), Start.EARLIEST))
            .id();
    Gathered given = take(consumer, OptionalInt.empty(), 100);
    assertTrue(given.explicit());
    assertEquals(9, given.records().size());
    assertEquals(
        ErrorCode.BAD_REQUEST,
        refusalOf(
            () ->
                partitions.ack(
                    ORDERS,
                    consumer,
                    OptionalInt.empty(),
                    new AckRequest(
                        List.of(0L), Optional.empty(), List.of(), List.of(), List.of(), 0),
                    Caller.ANYONE)));
    // acknowledges all of partitions 0 and 1, nothing of partition 2
    for (Gathered.Part part : given.parts()) {
      if (part.partition() < 2) {
        List<Long> offsets = part.taken().records().stream().map(Taken.Record::offset).toList();
        Acked acked =
            await(
                partitions.ack(
                    ORDERS,
                    consumer,
                    OptionalInt.of(part.partition()),
                    new AckRequest(offsets, Optional.empty(), List.of(), List.of(), List.of(), 0),
                    Caller.ANYONE));
        assertEquals(3, acked.acked());
      }
    }

    queues.stop(queue);
    queue = queues.start(QueueSettings.defaults());
    partitions = partitionsOf(queue);
    Gathered again =
        await(
            partitions.consume(
                ORDERS,
                consumer,
                OptionalInt.empty(),
                100,
                Duration.ofSeconds(5),
                AckRequest.NONE,
                Caller.ANYONE));
    assertEquals(
        List.of(2, 2, 2),
        again.parts().stream()
            .filter(part -> !part.taken().isEmpty())
            .map(Gathered.Part::partition)
            .flatMap(p -> java.util.Collections.nCopies(3, p).stream())
            .toList()
            .subList(0, 3));
    assertEquals(3, again.records().size(), "partition 2's three, given again after the restart");
  }

  @Test
  void aConsumerFromLatestGetsOnlyWhatCameAfterItOnEveryPartition() throws Exception {
    ProducerId producer = createdWithProducer();
    for (int i = 0; i < 6; i++) {
      send(producer, null, "before" + i);
    }
    ConsumerId consumer =
        await(queue.registerConsumer(ORDERS, ConsumerSettings.V1, Start.LATEST)).id();
    for (int i = 0; i < 6; i++) {
      send(producer, null, "after" + i);
    }
    List<String> taken = drain(consumer).values().stream().flatMap(List::stream).sorted().toList();
    assertEquals(List.of("after0", "after1", "after2", "after3", "after4", "after5"), taken);
  }

  @Test
  void aWaitingConsumeOfAllPartitionsWakesForAMessageOnAny() {
    ProducerId producer = createdWithProducer();
    ConsumerId consumer = await(queue.registerConsumer(ORDERS)).id();
    var waiting =
        partitions.consume(
            ORDERS,
            consumer,
            OptionalInt.empty(),
            10,
            Duration.ofSeconds(10),
            AckRequest.NONE,
            Caller.ANYONE);
    assertFalse(waiting.isDone());
    await(
        partitions.produce(
            ORDERS,
            OptionalInt.of(2),
            Optional.empty(),
            producer,
            List.of("late"),
            List.of(),
            Caller.ANYONE));
    long started = System.nanoTime();
    Gathered woke = await(waiting);
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
    assertEquals(List.of("late"), woke.records().stream().map(r -> r.message().text()).toList());
    assertEquals(
        2,
        woke.parts().stream()
            .filter(p -> !p.taken().isEmpty())
            .findFirst()
            .orElseThrow()
            .partition());
  }

  @Test
  void seekMovesEveryPartitionAndDeletingTheTopicDeletesThemAll() {
    ProducerId producer = createdWithProducer();
    for (int i = 0; i < 6; i++) {
      send(producer, null, "m" + i);
    }
    ConsumerId consumer = await(queue.registerConsumer(ORDERS)).id();
    assertEquals(6, drain(consumer).values().stream().mapToInt(List::size).sum());
    assertEquals(
        List.of(0L, 0L, 0L),
        await(
            partitions.seek(
                ORDERS,
                consumer,
                OptionalInt.empty(),
                OptionalLong.of(0),
                OptionalLong.empty(),
                Caller.ANYONE)));
    assertEquals(6L, await(partitions.size(ORDERS, consumer, OptionalInt.empty(), Caller.ANYONE)));

    await(partitions.deleteTopic(ORDERS, OptionalInt.empty()));
    QueueState state = queues.engine(queue).committer().state();
    assertTrue(state.allTopics().isEmpty(), "partitions deleted too: " + state.allTopics());
    assertTrue(state.findConsumer(Partition.cursor(consumer, 1)).isEmpty());

    await(partitions.createTopic(ORDERS, Retention.DEFAULTS, 2));
    ProducerId again = await(queue.registerProducer(ORDERS));
    send(again, null, "new0");
    send(again, null, "new1");
    ConsumerId fresh = await(queue.registerConsumer(ORDERS)).id();
    assertEquals(
        List.of("new0", "new1"),
        drain(fresh).values().stream().flatMap(List::stream).sorted().toList(),
        "a topic created again under the name has none of the old partitions' messages");
  }
}
