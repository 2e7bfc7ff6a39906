package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.LogQueueException;

/**
 * Where a consumer of a topic of several partitions begins on the partitions above 0, whose cursors
 * open when first used: as stored, {@code earliest} (each partition's first retained message),
 * {@code offset:N} (offset N of each, within what it retains) or {@code time:T} (each partition's
 * first message appended at or after T, milliseconds since 1970: "latest" is the time of the
 * registration).
 */
final class PartitionStart {

  private static final String EARLIEST = "earliest";
  private static final String OFFSET = "offset:";
  private static final String TIME = "time:";

  private PartitionStart() {}

  /** What to store for a consumer registered at {@code now} to begin at {@code start}. */
  static String of(Start start, long now) {
    return switch (start.kind()) {
      case EARLIEST -> EARLIEST;
      case LATEST -> TIME + now;
      case OFFSET -> OFFSET + start.offset();
    };
  }

  /** The offset on {@code topic} where a cursor registered with {@code stored} begins. */
  static long offset(String stored, TopicLog topic, Batch batch) {
    long start = topic.start();
    long end = batch.end(topic);
    if (stored == null || stored.equals(EARLIEST)) {
      return start;
    }
    try {
      if (stored.startsWith(OFFSET)) {
        return Start.at(Long.parseLong(stored.substring(OFFSET.length()))).resolve(start, end);
      }
      if (stored.startsWith(TIME)) {
        return batch.firstAtOrAfter(topic, Long.parseLong(stored.substring(TIME.length())));
      }
    } catch (NumberFormatException e) {
      // falls through: not one of ours
    }
    throw LogQueueException.badRequest("The consumer's start '" + stored + "' is not understood");
  }
}
