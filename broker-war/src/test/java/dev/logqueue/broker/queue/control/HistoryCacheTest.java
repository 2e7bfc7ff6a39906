package dev.logqueue.broker.queue.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HistoryCacheTest {

  private static final TopicId TOPIC = new TopicId(1);
  private static final int PAGE = 10;
  private static final long END = 100;

  /** A store of END messages "m0".."m99" that records each read's first offset. */
  private static final class CountingStore implements LogStore {
    final ConcurrentLinkedQueue<Long> reads = new ConcurrentLinkedQueue<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public List<Message> read(TopicId topic, long fromOffset, int max) {
      reads.add(fromOffset);
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (down.get()) {
        throw new StoreException("down", null);
      }
      List<Message> messages = new ArrayList<>();
      for (long offset = fromOffset; offset < Math.min(END, fromOffset + max); offset++) {
        messages.add(new Message("m" + offset, offset, null));
      }
      return messages;
    }

    @Override
    public Snapshot load(long idsSince, int maxIds, java.util.function.Predicate<TopicName> here) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void commit(Changes changes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long firstAtOrAfter(TopicId topic, long from, long end, long time) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long firstFromPosition(TopicId topic, long from, long end, long position) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Mark mark(TopicId topic, long offset) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int deleteMessages(TopicId topic, long from, long until) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long lowestOffset(TopicId topic, long end) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void forgetDeletedTopic(TopicId topic) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void reclaim() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isReachable() {
      return true;
    }
  }

  private final CountingStore store = new CountingStore();

  /** The read-ahead's tasks, run when the test says. */
  private final List<Runnable> ahead = new ArrayList<>();

  private final HistoryCache cache = new HistoryCache(store, PAGE, 1_000_000, ahead::add);

  @Test
  void aReaderOfOnePageHasTheNextOneReadAheadAndFindsItInMemory() {
    cache.prefetch(TOPIC, 3, 0, END);
    assertEquals(List.of(0L), List.copyOf(store.reads), "the page asked for, at once");
    assertEquals(1, ahead.size(), "the next page is handed to the read-ahead");
    cache.prefetch(TOPIC, 4, 0, END);
    assertEquals(1, ahead.size(), "only once while it is pending");

    ahead.remove(0).run();
    assertEquals(List.of(0L, 10L), List.copyOf(store.reads));
    List<Message> read = cache.read(TOPIC, 5, 10, 0, END);
    assertEquals("m5", read.get(0).text());
    assertEquals("m14", read.get(9).text());
    assertEquals(2, store.reads.size(), "offsets 10-14 came from the page read ahead");
  }

  @Test
  void noReadAheadPastTheEnd() {
    cache.prefetch(TOPIC, 95, 0, END);
    assertTrue(ahead.isEmpty());
  }

  @Test
  void readersOfAPageNotInMemoryShareOneReadOfTheStore() throws Exception {
    store.gate = new CountDownLatch(1);
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Message>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        long offset = 20 + i;
        results.add(readers.submit(() -> cache.read(TOPIC, offset, 1, 0, END)));
      }
      Thread.sleep(200); // they all wait for the one read
      store.gate.countDown();
      for (int i = 0; i < 8; i++) {
        assertEquals("m" + (20 + i), results.get(i).get(10, TimeUnit.SECONDS).get(0).text());
      }
    } finally {
      readers.shutdownNow();
    }
    assertEquals(1, store.reads.stream().filter(offset -> offset == 20).count(), "one read");
  }

  @Test
  void aFailedReadFailsItsWaitersAndIsTriedAgainByTheNextReader() {
    store.down.set(true);
    assertThrows(StoreException.class, () -> cache.read(TOPIC, 30, 5, 0, END));
    store.down.set(false);
    assertEquals("m30", cache.read(TOPIC, 30, 5, 0, END).get(0).text());
  }

  @Test
  void aFailedReadAheadIsNotFatal() {
    cache.prefetch(TOPIC, 0, 0, END);
    store.down.set(true);
    ahead.remove(0).run();
    store.down.set(false);
    assertEquals("m12", cache.read(TOPIC, 12, 1, 0, END).get(0).text(), "read again when asked");
  }
}
