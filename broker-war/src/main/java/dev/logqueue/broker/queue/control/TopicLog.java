package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic in memory: its committed end offset and a bounded window of its most recent messages.
 *
 * <p>Only the committer changes a topic log and reads its window; other threads read {@link #end()}
 * and {@link #windowStart()}.
 */
final class TopicLog {

  /** Roughly what a message costs on the heap beyond its characters. */
  private static final long MESSAGE_OVERHEAD = 80;

  private final TopicId id;
  private final TopicName name;
  private final int windowMessages;
  private final long windowBytes;

  private volatile long end;
  private volatile long windowStart;

  // window.get(head + (offset - windowStart)) is the message at offset
  private final ArrayList<Message> window = new ArrayList<>();
  private int head;
  private long bytes;

  private final DedupWindow dedup;
  private long lastAppendedAt;

  TopicLog(TopicId id, TopicName name, long end, long lastAppendedAt, QueueSettings settings) {
    this.id = id;
    this.name = name;
    this.end = end;
    this.windowStart = end;
    this.lastAppendedAt = lastAppendedAt;
    this.windowMessages = settings.windowMessages();
    this.windowBytes = settings.windowBytes();
    this.dedup = new DedupWindow(settings.dedupWindow().toMillis(), settings.dedupMaxIds());
  }

  /** The ids this topic appended recently; the committer's alone. */
  DedupWindow dedup() {
    return dedup;
  }

  /** When the last message was appended (milliseconds since 1970), 0 if never. */
  long lastAppendedAt() {
    return lastAppendedAt;
  }

  /** The time a message appended now gets: now, or the last one's if the clock went back. */
  long appendTime(long now) {
    return Math.max(now, lastAppendedAt);
  }

  TopicId id() {
    return id;
  }

  TopicName name() {
    return name;
  }

  /** The offset the next message of this topic gets: how many messages it has. */
  long end() {
    return end;
  }

  /** The oldest offset memory still holds. */
  long windowStart() {
    return windowStart;
  }

  /** The committed message at {@code offset} if the window holds it, else {@code null}. */
  Message fromWindow(long offset) {
    if (offset < windowStart || offset >= end) {
      return null;
    }
    return window.get(head + (int) (offset - windowStart));
  }

  /**
   * The first offset whose message was appended at or after {@code time}, if the window can tell
   * ({@link #end()} if none is); -1 if it may be before the window.
   */
  long firstInWindowAtOrAfter(long time) {
    if (windowStart == end || window.get(head).timestamp() >= time) {
      return -1;
    }
    long low = windowStart + 1;
    long high = end;
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (fromWindow(middle).timestamp() < time) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** Publishes committed messages: they get the offsets from {@link #end()} on. */
  void append(List<Message> messages) {
    for (Message message : messages) {
      lastAppendedAt = Math.max(lastAppendedAt, message.timestamp());
      window.add(message);
      bytes += weight(message);
    }
    evict();
    end += messages.size();
  }

  private void evict() {
    long start = windowStart;
    while (window.size() - head > windowMessages || (bytes > windowBytes && window.size() > head)) {
      bytes -= weight(window.get(head));
      window.set(head, null);
      head++;
      start++;
    }
    windowStart = start;
    if (head > 1024 && head > window.size() / 2) {
      window.subList(0, head).clear();
      head = 0;
    }
  }

  private static long weight(Message message) {
    return message.text().length() + MESSAGE_OVERHEAD;
  }
}
