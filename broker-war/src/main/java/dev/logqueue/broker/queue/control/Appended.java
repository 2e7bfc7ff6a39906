package dev.logqueue.broker.queue.control;

import java.util.List;

/**
 * Where a produce's messages went: one offset per message sent, in order; a message whose id was
 * already appended within the dedup window has the offset it got then, and counts as a duplicate.
 */
public record Appended(List<Long> offsets, int duplicates) {

  public Appended {
    offsets = List.copyOf(offsets);
  }

  /** The first message's offset. */
  public long first() {
    return offsets.get(0);
  }

  /** How many messages this produce stored. */
  public int stored() {
    return offsets.size() - duplicates;
  }
}
