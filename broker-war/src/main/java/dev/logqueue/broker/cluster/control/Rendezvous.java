package dev.logqueue.broker.cluster.control;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which member serves a slot: the one whose hash with the slot scores highest (rendezvous hashing).
 * Every member computes the same answer from the same members, without talking to the others; a
 * member that joins takes about 1/n of the slots, each from whoever had it, and one that leaves
 * gives only its own slots away.
 */
final class Rendezvous {

  private Rendezvous() {}

  /** The member that serves {@code slot}, null if there are no members. */
  static String owner(int slot, Collection<String> members) {
    String best = null;
    long bestScore = 0;
    for (String member : members) {
      long score = score(slot, member);
      if (best == null
          || Long.compareUnsigned(score, bestScore) > 0
          || (score == bestScore && member.compareTo(best) < 0)) {
        best = member;
        bestScore = score;
      }
    }
    return best;
  }

  /** The slots of {@code 0..slots-1} that {@code member} serves among {@code members}. */
  static Set<Integer> slotsOf(String member, int slots, Collection<String> members) {
    Set<Integer> owned = new TreeSet<>();
    if (!members.contains(member)) {
      return owned;
    }
    for (int slot = 0; slot < slots; slot++) {
      if (member.equals(owner(slot, members))) {
        owned.add(slot);
      }
    }
    return owned;
  }

  /** A well-mixed 64-bit hash of the pair (MurmurHash3's finalizer). */
  static long score(int slot, String member) {
    long h = member.hashCode() * 0x9E3779B97F4A7C15L + slot;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
