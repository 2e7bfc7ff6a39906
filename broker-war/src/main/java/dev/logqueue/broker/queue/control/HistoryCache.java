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

/**
 * Pages of committed messages that fell out of the topics' windows, read back from the database for
 * consumers that read behind, and kept while they fit the byte bound (least recently used first
 * out). Committed messages never change, so a cached page is never stale.
 *
 * <p>A page is read from the store once, however many readers want it at the same time (the others
 * wait for that read), and a reader of one page has the next one read ahead in the background: a
 * consumer reading history in order finds its pages in memory and never waits for the database per
 * message, nor all of its requests at each page boundary.
 */
final class HistoryCache {

  private static final Logger LOG = System.getLogger(HistoryCache.class.getName());

  private record PageKey(TopicId topic, long page) {}

  private final LogStore store;
  private final int pageMessages;
  private final long maxBytes;
  private final Executor readAhead;
  private final LinkedHashMap<PageKey, List<Message>> pages = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<PageKey, CompletableFuture<List<Message>>> loading = new HashMap<>();
  private long bytes;

  /**
   * @param readAhead runs the reads of next pages ({@code Runnable::run}: on the reader's thread)
   */
  HistoryCache(LogStore store, int pageMessages, long maxBytes, Executor readAhead) {
    this.store = store;
    this.pageMessages = pageMessages;
    this.maxBytes = maxBytes;
    this.readAhead = readAhead;
  }

  /**
   * Committed messages from {@code from}, at most {@code max} and none at or past {@code limit},
   * from the cache or, page by page, from the store.
   */
  List<Message> read(TopicId topic, long from, int max, long limit) {
    List<Message> result = new ArrayList<>(Math.min(max, pageMessages));
    long offset = from;
    long until = Math.min(limit, from + max);
    while (offset < until) {
      List<Message> page = page(topic, offset, limit); // whole pages: the next reader needs them
      int index = (int) (offset % pageMessages);
      if (index >= page.size()) {
        throw new IllegalStateException(
            "The store lacks committed message " + offset + " of topic " + topic);
      }
      int take = (int) Math.min(page.size() - index, until - offset);
      result.addAll(page.subList(index, index + take));
      offset += take;
    }
    return result;
  }

  /**
   * The first offset below {@code end} of a message appended at or after {@code time}, {@code end}
   * if none: the store searches its log.
   */
  long firstAtOrAfter(TopicId topic, long end, long time) {
    return store.firstAtOrAfter(topic, end, time);
  }

  /**
   * Reads the page holding {@code offset} into the cache, if it is not there yet, and has the next
   * page read ahead.
   */
  void prefetch(TopicId topic, long offset, long limit) {
    page(topic, offset, limit);
    PageKey next = new PageKey(topic, offset / pageMessages + 1);
    CompletableFuture<List<Message>> load;
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
              load(next, load, limit);
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

  private List<Message> page(TopicId topic, long offset, long limit) {
    long number = offset / pageMessages;
    PageKey key = new PageKey(topic, number);
    int index = (int) (offset % pageMessages);
    while (true) {
      CompletableFuture<List<Message>> load;
      boolean mine = false;
      synchronized (this) {
        List<Message> cached = pages.get(key);
        if (cached != null && index < cached.size()) {
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
        return load(key, load, Math.max(limit, offset + 1));
      }
      try {
        List<Message> loaded = load.join();
        if (index < loaded.size()) {
          return loaded;
        }
        // read by someone who needed less of the page: read it again, for this offset
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  /** Reads a page from the store, caches it and hands it to whoever waits for it. */
  private List<Message> load(PageKey key, CompletableFuture<List<Message>> load, long limit) {
    long start = key.page() * pageMessages;
    int count = (int) Math.min(pageMessages, limit - start);
    try {
      List<Message> loaded = List.copyOf(store.read(key.topic(), start, count));
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

  private synchronized void put(PageKey key, List<Message> page) {
    List<Message> old = pages.put(key, page);
    if (old != null) {
      bytes -= weight(old);
    }
    bytes += weight(page);
    Iterator<Map.Entry<PageKey, List<Message>>> eldest = pages.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      Map.Entry<PageKey, List<Message>> entry = eldest.next();
      bytes -= weight(entry.getValue());
      eldest.remove();
    }
  }

  synchronized void clear() {
    pages.clear();
    bytes = 0;
  }

  synchronized long bytes() {
    return bytes;
  }

  private static long weight(List<Message> page) {
    long sum = 0;
    for (Message message : page) {
      sum += message.text().length() + 80;
    }
    return sum;
  }
}
