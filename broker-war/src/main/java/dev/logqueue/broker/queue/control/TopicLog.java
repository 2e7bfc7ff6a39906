package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic in memory: its committed range (the first retained offset and the end), the bytes of
 * UTF-8 before each end of it, its own retention, and a bounded window of its most recent messages.
 *
 * <p>Only the committer changes a topic log and reads its window; other threads read the range, the
 * retention and {@link #windowStart()}.
 */
final class TopicLog {

  /** Roughly what a message costs on the heap beyond its characters. */
  private static final long MESSAGE_OVERHEAD = 80;

  private final TopicId id;
  private final TopicName name;
  private final int windowMessages;
  private final long windowBytes;

  private volatile long windowStart;
  // the range is published as one: a reader never sees a start past the end
  private volatile Range range;
  private volatile Retention retention;
  private volatile int partitions = 1;

  // window.get(head + (offset - windowStart)) is the message at offset
  private final ArrayList<Message> window = new ArrayList<>();
  private int head;
  private long bytes;

  private final DedupWindow dedup;
  private long lastAppendedAt;

  /**
   * What of a topic is retained: offsets {@code [start, end)}, the bytes of UTF-8 of the topic
   * before each of them, and when the message at {@code start} was appended (0 if there is none).
   */
  record Range(long start, long startPosition, long startTime, long end, long endPosition) {

    static final Range EMPTY = new Range(0, 0, 0, 0, 0);

    long messages() {
      return end - start;
    }

    long bytes() {
      return endPosition - startPosition;
    }
  }

  /** A new topic, empty. */
  TopicLog(TopicId id, TopicName name, Retention retention, QueueSettings settings) {
    this(id, name, retention, Range.EMPTY, 0, settings);
  }

  TopicLog(
      TopicId id,
      TopicName name,
      Retention retention,
      Range range,
      long lastAppendedAt,
      QueueSettings settings) {
    this.id = id;
    this.name = name;
    this.retention = retention;
    this.range = range;
    this.windowStart = range.end();
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

  /** The offset the next message of this topic gets: how many messages it was given. */
  long end() {
    return range.end();
  }

  /** The first retained offset: the messages below it are deleted, or are being deleted. */
  long start() {
    return range.start();
  }

  /** The retained range. */
  Range range() {
    return range;
  }

  /** The topic's own retention: {@link Retention#DEFAULT} where it follows the broker's. */
  /** How many partitions the topic has: 1 unless it was created with more (and for a partition). */
  int partitions() {
    return partitions;
  }

  /** Set once, when the topic is created or loaded. */
  TopicLog partitions(int count) {
    this.partitions = count;
    return this;
  }

  Retention retention() {
    return retention;
  }

  /** Publishes a committed change of the topic's own retention. */
  void retention(Retention own) {
    retention = own;
  }

  /**
   * Publishes a committed move of the first retained offset: the window drops what is below it.
   *
   * @param time when the message at {@code start} was appended (ignored if {@code start == end})
   */
  void retainFrom(long start, long position, long time) {
    Range current = range;
    if (start <= current.start()) {
      return;
    }
    long first = start == current.end() ? 0 : time;
    range = new Range(start, position, first, current.end(), current.endPosition());
    while (windowStart < Math.min(start, current.end())) {
      bytes -= weight(window.get(head));
      window.set(head, null);
      head++;
      windowStart++;
    }
    compact();
  }

  /** The oldest offset memory still holds. */
  long windowStart() {
    return windowStart;
  }

  /** The committed message at {@code offset} if the window holds it, else {@code null}. */
  Message fromWindow(long offset) {
    if (offset < windowStart || offset >= end()) {
      return null;
    }
    return window.get(head + (int) (offset - windowStart));
  }

  /**
   * The first offset whose message was appended at or after {@code time}, if the window can tell
   * ({@link #end()} if none is); -1 if it may be before the window.
   */
  long firstInWindowAtOrAfter(long time) {
    long end = end();
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

  /**
   * Publishes committed messages: they get the offsets from {@link #end()} on.
   *
   * @param utf8Bytes their length in UTF-8, all together
   */
  void append(List<Message> messages, long utf8Bytes) {
    for (Message message : messages) {
      lastAppendedAt = Math.max(lastAppendedAt, message.timestamp());
      window.add(message);
      bytes += weight(message);
    }
    evict();
    Range current = range;
    long newEnd = current.end() + messages.size();
    long startTime =
        current.start() == current.end() ? messages.get(0).timestamp() : current.startTime();
    range =
        new Range(
            current.start(),
            current.startPosition(),
            startTime,
            newEnd,
            current.endPosition() + utf8Bytes);
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
    compact();
  }

  private void compact() {
    if (head > 1024 && head > window.size() / 2) {
      window.subList(0, head).clear();
      head = 0;
    }
  }

  private static long weight(Message message) {
    return message.text().length() + MESSAGE_OVERHEAD;
  }
}
