package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.MessageId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The message ids a topic appended recently, with their offsets: an id appended within the last
 * {@code window} milliseconds is not appended again. Bounded in time and in number (the oldest ids
 * go first when there are more than {@code maxIds}). Used by the committer's thread only.
 */
final class DedupWindow {

  private record Entry(MessageId id, long offset, long appendedAt) {}

  private final long windowMillis;
  private final int maxIds;
  private final Map<MessageId, Long> offsets = new HashMap<>();
  private final ArrayDeque<Entry> order = new ArrayDeque<>();

  DedupWindow(long windowMillis, int maxIds) {
    this.windowMillis = windowMillis;
    this.maxIds = maxIds;
  }

  /** The offset this id was appended at within the window, as of {@code now}; null if none. */
  Long find(MessageId id, long now) {
    evict(now);
    return offsets.get(id);
  }

  /** Records an id appended at {@code appendedAt} (never earlier than the last one recorded). */
  void add(MessageId id, long offset, long appendedAt) {
    if (windowMillis <= 0 || maxIds <= 0) {
      return;
    }
    offsets.put(id, offset);
    order.addLast(new Entry(id, offset, appendedAt));
    evict(appendedAt);
  }

  /** Forgets the ids of messages below {@code start}: retention deleted them. */
  void dropBelow(long start) {
    while (!order.isEmpty() && order.peekFirst().offset() < start) {
      Entry gone = order.removeFirst();
      offsets.remove(gone.id(), gone.offset());
    }
  }

  private void evict(long now) {
    long oldest = now - windowMillis;
    while (!order.isEmpty() && (order.peekFirst().appendedAt() < oldest || order.size() > maxIds)) {
      Entry gone = order.removeFirst();
      offsets.remove(gone.id(), gone.offset());
    }
  }
}
