package dev.logqueue.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicBatcherTest {

  private static final Batching NO_LINGER = Batching.DEFAULT.withLinger(Duration.ZERO);

  /**
   * A broker that answers each request later, on another thread, with consecutive offsets; it
   * records every request and whether two were ever in flight at once.
   */
  static final class FakeBroker implements TopicBatcher.Sender {
    final List<List<String>> requests = new CopyOnWriteArrayList<>();
    final List<String> committed = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean overlapped;
    volatile Predicate<List<String>> refuse = batch -> false;
    volatile RuntimeException refusal =
        new BrokerUnavailableException(503, "unavailable", "", null);
    private final ExecutorService answers = Executors.newSingleThreadScheduledExecutor();

    @Override
    public CompletionStage<List<Long>> send(List<String> messages, List<String> messageIds) {
      assertEquals(messages.size(), messageIds.size());
      requests.add(List.copyOf(messages));
      if (inFlight.incrementAndGet() > 1) {
        overlapped = true;
      }
      CompletableFuture<List<Long>> answer = new CompletableFuture<>();
      answers.execute(
          () -> {
            sleep(2);
            inFlight.decrementAndGet();
            if (refuse.test(messages)) {
              answer.completeExceptionally(refusal);
              return;
            }
            List<Long> offsets = new ArrayList<>();
            for (String message : messages) {
              offsets.add((long) committed.size());
              committed.add(message);
            }
            answer.complete(offsets);
          });
      return answer;
    }

    void close() {
      answers.shutdownNow();
    }
  }

  private final FakeBroker broker = new FakeBroker();
  private final List<TopicBatcher.Unit> settled = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    broker.close();
  }

  private TopicBatcher batcher(Batching limits) {
    return new TopicBatcher(limits, broker, settled::add);
  }

  private static TopicBatcher.Unit unit(String... messages) {
    List<String> ids = new ArrayList<>();
    long bytes = 0;
    for (String message : messages) {
      ids.add("id-" + message);
      bytes += message.length();
    }
    return new TopicBatcher.Unit(List.of(messages), ids, bytes, new CompletableFuture<>());
  }

  @Test
  void messagesFromManyThreadsTravelTogetherOneRequestAtATimeInOrderWithTheirOffsets()
      throws Exception {
    TopicBatcher batcher = batcher(NO_LINGER);
    int threads = 8;
    int each = 500;
    List<List<TopicBatcher.Unit>> given = new ArrayList<>();
    ExecutorService senders = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      List<TopicBatcher.Unit> mine = new ArrayList<>();
      given.add(mine);
      int thread = t;
      senders.execute(
          () -> {
            for (int i = 0; i < each; i++) {
              TopicBatcher.Unit unit = unit(thread + "-" + i);
              mine.add(unit);
              batcher.add(unit);
            }
          });
    }
    senders.shutdown();
    assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS));
    for (List<TopicBatcher.Unit> mine : given) {
      long previous = -1;
      for (TopicBatcher.Unit unit : mine) {
        long offset = unit.done().get(10, TimeUnit.SECONDS).get(0);
        assertEquals(unit.messages().get(0), broker.committed.get((int) offset), "its own offset");
        assertTrue(offset > previous, "a thread's messages keep their order");
        previous = offset;
      }
    }
    assertEquals(threads * each, broker.committed.size(), "each once");
    assertFalse(broker.overlapped, "one request in flight");
    assertTrue(
        broker.requests.size() < threads * each / 4,
        "gathered: " + broker.requests.size() + " requests for " + threads * each);
    assertTrue(broker.requests.stream().allMatch(r -> r.size() <= NO_LINGER.maxMessages()));
    assertEquals(threads * each, settled.size());
  }

  @Test
  void aBatchIsBoundedByMessagesAndBytesAndAUnitIsNeverSplit() throws Exception {
    TopicBatcher batcher = batcher(NO_LINGER.withMaxMessages(3).withMaxBytes(10));
    TopicBatcher.Unit first = unit("a");
    batcher.add(first); // goes alone: nothing was in flight
    List<TopicBatcher.Unit> units =
        List.of(unit("b"), unit("c"), unit("d"), unit("e"), unit("0123456789ab"), unit("f", "g"));
    units.forEach(batcher::add);
    CompletableFuture.allOf(
            units.stream().map(TopicBatcher.Unit::done).toArray(CompletableFuture[]::new))
        .get(10, TimeUnit.SECONDS);
    assertEquals(
        List.of(
            List.of("a"),
            List.of("b", "c", "d"),
            List.of("e"),
            List.of("0123456789ab"),
            List.of("f", "g")),
        broker.requests);
    assertEquals(List.of(6L, 7L), units.get(5).done().get());
  }

  @Test
  void aMessageLingersForOthersUntilItsTimeOrAFlush() throws Exception {
    TopicBatcher batcher = batcher(Batching.DEFAULT.withLinger(Duration.ofHours(1)));
    TopicBatcher.Unit one = unit("one");
    TopicBatcher.Unit two = unit("two");
    batcher.add(one);
    batcher.add(two);
    Thread.sleep(50);
    assertEquals(List.of(), broker.requests, "still lingering");
    batcher.flush();
    assertEquals(List.of(1L), two.done().get(10, TimeUnit.SECONDS));
    assertEquals(List.of(List.of("one", "two")), broker.requests);

    TopicBatcher shortLinger = batcher(Batching.DEFAULT.withLinger(Duration.ofMillis(20)));
    TopicBatcher.Unit three = unit("three");
    shortLinger.add(three);
    assertEquals(List.of(2L), three.done().get(10, TimeUnit.SECONDS), "sent when its linger ended");
  }

  @Test
  void aFailureReachesTheCallersOfItsBatchOnlyAndTheNextBatchesStillGo() throws Exception {
    TopicBatcher batcher = batcher(NO_LINGER);
    broker.refuse = batch -> batch.contains("bad");
    TopicBatcher.Unit before = unit("before");
    batcher.add(before);
    TopicBatcher.Unit bad = unit("bad");
    TopicBatcher.Unit sameBatch = unit("same-batch");
    batcher.add(bad);
    batcher.add(sameBatch);
    before.done().get(10, TimeUnit.SECONDS);
    CompletionException failed = assertThrows(CompletionException.class, sameBatch.done()::join);
    assertSame(broker.refusal, failed.getCause(), "the caller sees the broker's refusal");
    assertThrows(CompletionException.class, bad.done()::join);
    broker.refuse = batch -> false;
    TopicBatcher.Unit after = unit("after");
    batcher.add(after);
    assertEquals(List.of(1L), after.done().get(10, TimeUnit.SECONDS));
    assertEquals(List.of("before", "after"), broker.committed);
  }

  @Test
  void aMessageTooLargeFailsAloneWhileTheOthersOfItsBatchAreSentInOrder() throws Exception {
    TopicBatcher batcher = batcher(NO_LINGER);
    broker.refuse = batch -> batch.contains("huge");
    broker.refusal = new MessageTooLargeException(413, "message_too_large", "too large");
    TopicBatcher.Unit first = unit("first");
    batcher.add(first);
    List<TopicBatcher.Unit> units = List.of(unit("a"), unit("huge"), unit("b"));
    units.forEach(batcher::add);
    first.done().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(1L), units.get(0).done().get(10, TimeUnit.SECONDS));
    CompletionException tooLarge =
        assertThrows(CompletionException.class, units.get(1).done()::join);
    assertInstanceOf(MessageTooLargeException.class, tooLarge.getCause());
    assertEquals(List.of(2L), units.get(2).done().get(10, TimeUnit.SECONDS));
    assertEquals(List.of("first", "a", "b"), broker.committed);
    assertFalse(broker.overlapped);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
