package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The topics this broker serves, and the proof of it in the store: in a cluster, the slots it
 * claimed (a slot is the unit of placement; a topic lives in the slot of its {@link
 * #placementKey(TopicName) placement key}) and the epoch each had when it claimed it. Every commit
 * that writes a topic carries its slot's epoch, and the store refuses it if the epoch moved since:
 * another broker took the slot over. A single broker serves every topic and proves nothing.
 */
public final class Claims {

  /** A slot and its epoch, as claimed. */
  public record Claim(int slot, long epoch) {}

  /** A single broker's: every topic, no fence. */
  public static final Claims ALL = new Claims(null, Map.of(), null);

  private final ToIntFunction<String> slotOf;
  private final Map<Integer, Long> epochs;
  private final String holder;

  private Claims(ToIntFunction<String> slotOf, Map<Integer, Long> epochs, String holder) {
    this.slotOf = slotOf;
    this.epochs = epochs;
    this.holder = holder;
  }

  /**
   * A cluster member's claims.
   *
   * @param slotOf the slot of a placement key
   * @param epochs the slots claimed and their epochs
   * @param holder who holds them, for messages
   */
  public static Claims of(ToIntFunction<String> slotOf, Map<Integer, Long> epochs, String holder) {
    return new Claims(slotOf, Map.copyOf(epochs), holder);
  }

  /**
   * What decides where a topic lives: its name up to the first '.', so that {@code orders} and
   * {@code orders.dlq} live together (a dead-letter copy is committed with the ack that makes it);
   * a partition's log lives by its topic's key and its partition ({@code orders#2#17}), so that a
   * topic's partitions spread over the members.
   */
  public static String placementKey(TopicName topic) {
    String name = topic.value();
    int hash = name.indexOf('#');
    String own = hash < 0 ? name : name.substring(0, hash);
    int dot = own.indexOf('.');
    String key = dot > 0 ? own.substring(0, dot) : own;
    return hash < 0 ? key : key + name.substring(hash);
  }

  public boolean isClustered() {
    return slotOf != null;
  }

  /** The slot of a topic; 0 on a single broker. */
  public int slotOf(TopicName topic) {
    return slotOf == null ? 0 : slotOf.applyAsInt(placementKey(topic));
  }

  /** Whether this broker serves the topic. */
  public boolean covers(TopicName topic) {
    return slotOf == null || epochs.containsKey(slotOf(topic));
  }

  /** The slots claimed and their epochs. */
  public Map<Integer, Long> epochs() {
    return epochs;
  }

  /** Refuses a topic this broker does not serve (now): another serves it; 503, try again. */
  void require(TopicName topic) {
    if (!covers(topic)) {
      throw LogQueueException.unavailable(
          "Topic '" + topic + "' is served by another broker of the cluster now; try again");
    }
  }

  /** The claims a commit that writes these topics must find unchanged; none on a single broker. */
  Map<TopicId, Claim> fence(Collection<TopicLog> topics) {
    if (slotOf == null || topics.isEmpty()) {
      return Map.of();
    }
    Map<TopicId, Claim> fence = new HashMap<>();
    for (TopicLog topic : topics) {
      int slot = slotOf(topic.name());
      Long epoch = epochs.get(slot);
      if (epoch == null) {
        throw LogQueueException.unavailable(
            "Topic '"
                + topic.name()
                + "' is served by another broker of the cluster now; try again");
      }
      fence.put(topic.id(), new Claim(slot, epoch));
    }
    return fence;
  }

  @Override
  public String toString() {
    return slotOf == null ? "all topics" : epochs.size() + " slots held by " + holder;
  }
}
