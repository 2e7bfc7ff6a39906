package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.TopicId;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Pages of committed messages that fell out of the topics' windows, read back from the database for
 * consumers that read behind, and kept while they fit the byte bound (least recently used first
 * out). Committed messages never change, so a cached page is never stale; a page holds the retained
 * part of its range (from the topic's first retained offset, if that is inside it).
 *
 * <p>A page is read from the store once, however many readers want it at the same time (the others
 * wait for that read), and a reader of one page has the next one read ahead in the background: a
 * consumer reading history in order finds its pages in memory and never waits for the database per
 * message, nor all of its requests at each page boundary.
 */
final class HistoryCache {

  private static final Logger LOG = System.getLogger(HistoryCache.class.getName());

  private record PageKey(TopicId topic, long page) {}

  /** Messages of a page from offset {@code first} on, without gaps. */
  private record Page(long first, List<Message> messages) {

    boolean covers(long offset) {
      return offset >= first && offset < first + messages.size();
    }
  }

  private final LogStore store;
  private final int pageMessages;
  private final long maxBytes;
  private final Executor readAhead;
  private final LinkedHashMap<PageKey, Page> pages = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<PageKey, CompletableFuture<Page>> loading = new HashMap<>();
  private long bytes;
  private long hits;
  private final AtomicLong misses = new AtomicLong();

  /**
   * @param readAhead runs the reads of next pages ({@code Runnable::run}: on the reader's thread)
   */
  /** Pages readers found here, or read ahead for them. */
  synchronized long hits() {
    return hits;
  }

  /** Pages readers had to read from the store themselves. */
  long misses() {
    return misses.get();
  }

  HistoryCache(LogStore store, int pageMessages, long maxBytes, Executor readAhead) {
    this.store = store;
    this.pageMessages = pageMessages;
    this.maxBytes = maxBytes;
    this.readAhead = readAhead;
  }

  /**
   * Committed messages from {@code from}, at most {@code max} and none at or past {@code limit},
   * from the cache or, page by page, from the store; {@code start}, the topic's first retained
   * offset, is at most {@code from}.
   */
  List<Message> read(TopicId topic, long from, int max, long start, long limit) {
    List<Message> result = new ArrayList<>(Math.min(max, pageMessages));
    long offset = from;
    long until = Math.min(limit, from + max);
    while (offset < until) {
      // whole pages: the next reader needs them
      Page page = page(topic, offset, start, limit);
      if (!page.covers(offset)) {
        throw new IllegalStateException(
            "The store lacks committed message " + offset + " of topic " + topic);
      }
      int index = (int) (offset - page.first());
      int take = (int) Math.min(page.messages().size() - index, until - offset);
      result.addAll(page.messages().subList(index, index + take));
      offset += take;
    }
    return result;
  }

  /**
   * The first offset in {@code [from, end)} of a message appended at or after {@code time}, {@code
   * end} if none: the store searches its log.
   */
  long firstAtOrAfter(TopicId topic, long from, long end, long time) {
    return store.firstAtOrAfter(topic, from, end, time);
  }

  /**
   * Reads the page holding {@code offset} into the cache, if it is not there yet, and has the next
   * page read ahead.
   */
  void prefetch(TopicId topic, long offset, long start, long limit) {
    page(topic, offset, start, limit);
    PageKey next = new PageKey(topic, offset / pageMessages + 1);
    CompletableFuture<Page> load;
    synchronized (this) {
      if (next.page() * pageMessages >= limit
          || pages.containsKey(next)
          || loading.containsKey(next)) {
        return;
      }
      load = new CompletableFuture<>();
      loading.put(next, load); // readers of that page from now on wait for this read
    }
    try {
      readAhead.execute(
          () -> {
            try {
              load(next, load, start, limit);
            } catch (RuntimeException e) {
              // its readers are refused; the next one reads it again
              LOG.log(Level.DEBUG, "History read-ahead failed", e);
            }
          });
    } catch (RejectedExecutionException stopping) {
      synchronized (this) {
        loading.remove(next);
      }
      load.completeExceptionally(stopping);
    }
  }

  private Page page(TopicId topic, long offset, long start, long limit) {
    long number = offset / pageMessages;
    PageKey key = new PageKey(topic, number);
    while (true) {
      CompletableFuture<Page> load;
      boolean mine = false;
      synchronized (this) {
        Page cached = pages.get(key);
        if (cached != null && cached.covers(offset)) {
          hits++;
          return cached;
        }
        load = loading.get(key);
        if (load == null) {
          load = new CompletableFuture<>();
          loading.put(key, load);
          mine = true;
        }
      }
      if (mine) {
        misses.incrementAndGet();
        return load(key, load, Math.min(start, offset), Math.max(limit, offset + 1));
      }
      try {
        Page loaded = load.join();
        if (loaded.covers(offset)) {
          synchronized (this) {
            hits++; // read ahead for it
          }
          return loaded;
        }
        // read by someone who needed less of the page, or a part retention deleted since: read it
        // again, for this offset
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  /**
   * Reads a page from the store, from the topic's first retained offset {@code start} if that is
   * inside it, caches it and hands it to whoever waits for it.
   */
  private Page load(PageKey key, CompletableFuture<Page> load, long start, long limit) {
    long first = Math.max(key.page() * pageMessages, start);
    int count = (int) Math.min((key.page() + 1) * pageMessages - first, limit - first);
    try {
      Page loaded = new Page(first, List.copyOf(store.read(key.topic(), first, count)));
      synchronized (this) {
        put(key, loaded);
        loading.remove(key);
      }
      load.complete(loaded);
      return loaded;
    } catch (RuntimeException e) {
      synchronized (this) {
        loading.remove(key);
      }
      load.completeExceptionally(e);
      throw e;
    }
  }

  private synchronized void put(PageKey key, Page page) {
    Page old = pages.put(key, page);
    if (old != null) {
      bytes -= weight(old);
    }
    bytes += weight(page);
    Iterator<Map.Entry<PageKey, Page>> eldest = pages.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      Map.Entry<PageKey, Page> entry = eldest.next();
      bytes -= weight(entry.getValue());
      eldest.remove();
    }
  }

  synchronized void clear() {
    pages.clear();
    bytes = 0;
  }

  /** Forgets the pages of a topic wholly below {@code start}: retention deleted them. */
  synchronized void dropBelow(TopicId topic, long start) {
    dropIf(key -> key.topic().equals(topic) && (key.page() + 1) * pageMessages <= start);
  }

  /** Forgets every page of a deleted topic. */
  synchronized void drop(TopicId topic) {
    dropIf(key -> key.topic().equals(topic));
  }

  private void dropIf(Predicate<PageKey> gone) {
    Iterator<Map.Entry<PageKey, Page>> entries = pages.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<PageKey, Page> entry = entries.next();
      if (gone.test(entry.getKey())) {
        bytes -= weight(entry.getValue());
        entries.remove();
      }
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  private static long weight(Page page) {
    long sum = 0;
    for (Message message : page.messages()) {
      sum += message.text().length() + 80;
    }
    return sum;
  }
}
