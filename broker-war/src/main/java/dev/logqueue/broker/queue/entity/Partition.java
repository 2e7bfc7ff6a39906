package dev.logqueue.broker.queue.entity;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A topic's partitions: partition 0 is the topic's own log; partition {@code p > 0} is a log of its
 * own named {@code <topic>#<p>#<topic id>}, a name no client can give (a client's names have no
 * {@code #}) and never reused (a topic created again under the same name has a new id). A consumer
 * of a topic of several partitions has a cursor on each: its own id on partition 0, a derived id
 * (its id plus {@code p << 40}, beyond any id the broker issues) on partition {@code p}.
 */
public final class Partition {

  /** The most partitions a topic may have. */
  public static final int MAX = 256;

  private static final int CHILD_SHIFT = 40;
  private static final long ISSUED_MASK = (1L << CHILD_SHIFT) - 1;

  private Partition() {}

  /** A partition's number as a client wrote it (0 to {@value #MAX} - 1); else 400. */
  public static int parse(String text) {
    try {
      int number = Integer.parseInt(text.trim());
      if (number >= 0 && number < MAX) {
        return number;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw LogQueueException.badRequest(
        "'partition' must be an integer from 0 to " + (MAX - 1) + " (got '" + text + "')");
  }

  /** The log of partition {@code partition} of the topic {@code topic} (of id {@code id}). */
  public static TopicName log(TopicName topic, TopicId id, int partition) {
    if (partition == 0) {
      return topic;
    }
    return new TopicName(topic.value() + "#" + partition + "#" + id.value());
  }

  /** Whether the name is that of a partition's log (partition 1 and above). */
  public static boolean isLog(TopicName name) {
    return name.value().indexOf('#') >= 0;
  }

  /** Whether {@code value} has the shape of a partition's log name. */
  static boolean isLogName(String value) {
    int first = value.indexOf('#');
    int second = value.indexOf('#', first + 1);
    if (first <= 0 || second < 0 || value.indexOf('#', second + 1) >= 0) {
      return false;
    }
    return TopicName.isValid(value.substring(0, first))
        && isNumber(value.substring(first + 1, second))
        && isNumber(value.substring(second + 1));
  }

  private static boolean isNumber(String text) {
    if (text.isEmpty() || text.length() > 18) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The topic a log belongs to: itself for a topic's own log. */
  public static TopicName topicOf(TopicName log) {
    int hash = log.value().indexOf('#');
    return hash < 0 ? log : TopicName.of(log.value().substring(0, hash));
  }

  /** The partition a log holds: 0 for a topic's own log. */
  public static int numberOf(TopicName log) {
    String value = log.value();
    int first = value.indexOf('#');
    if (first < 0) {
      return 0;
    }
    return Integer.parseInt(value.substring(first + 1, value.indexOf('#', first + 1)));
  }

  /** The id of the topic a partition's log belongs to. */
  public static TopicId topicIdOf(TopicName log) {
    String value = log.value();
    return new TopicId(Long.parseLong(value.substring(value.lastIndexOf('#') + 1)));
  }

  /** A consumer's cursor on partition {@code partition}: the consumer itself on partition 0. */
  public static ConsumerId cursor(ConsumerId consumer, int partition) {
    return partition == 0
        ? consumer
        : new ConsumerId(consumer.value() + ((long) partition << CHILD_SHIFT));
  }

  /** Whether the id is a cursor's on a partition above 0, not one the broker issued. */
  public static boolean isCursor(ConsumerId id) {
    return id.value() > ISSUED_MASK;
  }

  /** The consumer whose cursor this is. */
  public static ConsumerId consumerOf(ConsumerId cursor) {
    return new ConsumerId(cursor.value() & ISSUED_MASK);
  }

  /**
   * The partition of a key: CRC-32 of its UTF-8 bytes, modulo the partitions (the same in every
   * client that wants to know it, whatever its language).
   */
  public static int forKey(String key, int partitions) {
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % partitions);
  }
}
