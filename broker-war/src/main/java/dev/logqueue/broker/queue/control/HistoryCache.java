package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.TopicId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pages of committed messages that fell out of the topics' windows, read back from the database for
 * consumers that read behind, and kept while they fit the byte bound (least recently used first
 * out). Committed messages never change, so a cached page is never stale.
 */
final class HistoryCache {

  private record PageKey(TopicId topic, long page) {}

  private final LogStore store;
  private final int pageMessages;
  private final long maxBytes;
  private final LinkedHashMap<PageKey, List<Message>> pages = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  HistoryCache(LogStore store, int pageMessages, long maxBytes) {
    this.store = store;
    this.pageMessages = pageMessages;
    this.maxBytes = maxBytes;
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
      List<Message> page = page(topic, offset, until);
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

  /** Reads the page holding {@code offset} into the cache, if it is not there yet. */
  void prefetch(TopicId topic, long offset, long limit) {
    page(topic, offset, limit);
  }

  private List<Message> page(TopicId topic, long offset, long limit) {
    long number = offset / pageMessages;
    PageKey key = new PageKey(topic, number);
    int index = (int) (offset % pageMessages);
    synchronized (this) {
      List<Message> cached = pages.get(key);
      if (cached != null && index < cached.size()) {
        return cached;
      }
    }
    long start = number * pageMessages;
    int count = (int) Math.min(pageMessages, Math.max(limit - start, index + 1));
    List<Message> loaded = List.copyOf(store.read(topic, start, count));
    put(key, loaded);
    return loaded;
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
