package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an explicit consumer was given and what it settled. Below {@code floor} every message is
 * settled (acknowledged, or dead-lettered); above it, {@code acked} holds those settled out of
 * order. Both are durable. The rest is memory only: the messages given and not settled, each with
 * its delivery count and lease, those whose lease expired or that were released (ready to be given
 * again, lowest offset first), and {@code next}, the first offset never given since the state was
 * restored or the consumer moved.
 *
 * <p>Only the committer's thread uses it, except {@link #floor()} and {@link #size(long)}, which
 * any thread may read. A failed commit rebuilds the whole state from the store, so what it changed
 * here in a batch that did not commit is thrown away with it.
 */
final class Deliveries {

  /** A message given and not settled. */
  private static final class Pending {
    int deliveries;
    long until; // milliseconds since 1970: its lease ends, or the delay of its release
    boolean leased;
  }

  private record Expiry(long until, long offset) implements Comparable<Expiry> {
    @Override
    public int compareTo(Expiry other) {
      int byTime = Long.compare(until, other.until);
      return byTime != 0 ? byTime : Long.compare(offset, other.offset);
    }
  }

  /** A message whose lease ended at its last allowed delivery, or that was rejected. */
  record Settled(long offset, int deliveries) {}

  /** A message given by {@link #lease}: its offset, and how often it was given. */
  record Lease(long offset, int delivery) {}

  /** What the next commit writes for this consumer. */
  record AckChanges(long floor, boolean resetAcks, List<Long> newAcks) {}

  private final ConsumerId id;
  private volatile long floor;
  private volatile int ackedAbove;
  private volatile int leased; // the committer's alone to change
  private long next;
  private long givenBefore;
  private final TreeSet<Long> acked = new TreeSet<>();
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private final TreeSet<Expiry> expiries = new TreeSet<>();
  private final TreeSet<Long> ready = new TreeSet<>();

  private final List<Long> newAcks = new ArrayList<>();
  private boolean reset;
  private boolean floorMoved;

  /**
   * @param floor the committed floor
   * @param ackedAbove the committed acknowledgements above it
   * @param givenBefore offsets below it may have been given before this state was built (the
   *     topic's end at restore): they may be acknowledged, though not leased now
   */
  Deliveries(ConsumerId id, long floor, Collection<Long> ackedAbove, long givenBefore) {
    this.id = id;
    this.floor = floor;
    this.next = floor;
    this.givenBefore = givenBefore;
    for (long offset : ackedAbove) {
      if (offset >= floor) {
        acked.add(offset);
      }
    }
    advanceFloor(); // also counts the acknowledgements above the floor
    floorMoved = false;
  }

  /** Every message below it is settled. */
  long floor() {
    return floor;
  }

  /** Messages of a topic ending at {@code end} not settled yet (leased ones included). */
  long size(long end) {
    long read = floor;
    return Math.max(0, end - read - ackedAbove);
  }

  /** How many messages are leased now (given, not settled, their lease not found ended yet). */
  int leased() {
    return leased;
  }

  /** When the next lease or release delay ends (milliseconds since 1970), or MAX_VALUE. */
  long nextExpiry() {
    return expiries.isEmpty() ? Long.MAX_VALUE : expiries.first().until();
  }

  /**
   * Makes every message whose lease or delay ended by {@code now} ready to be given again; those
   * given {@code maxDeliveries} times (if that is not 0) are settled instead, and returned, for the
   * dead-letter topic.
   */
  List<Settled> expire(long now, int maxDeliveries) {
    List<Settled> dead = List.of();
    while (!expiries.isEmpty() && expiries.first().until() <= now) {
      Expiry expiry = expiries.pollFirst();
      Pending entry = pending.get(expiry.offset());
      unhold(entry);
      if (maxDeliveries > 0 && entry.deliveries >= maxDeliveries) {
        if (dead.isEmpty()) {
          dead = new ArrayList<>();
        }
        pending.remove(expiry.offset());
        settle(expiry.offset());
        dead.add(new Settled(expiry.offset(), entry.deliveries));
      } else {
        ready.add(expiry.offset());
      }
    }
    return dead;
  }

  /**
   * Leases up to {@code max} messages until {@code until}: those ready again first, then new ones
   * below {@code end}, lowest offset first, as long as fewer than {@code maxPending} are given and
   * not settled.
   */
  List<Lease> lease(int max, long until, long end, int maxPending) {
    List<Lease> leases = new ArrayList<>(Math.min(max, 64));
    while (leases.size() < max && !ready.isEmpty()) {
      long offset = ready.pollFirst();
      Pending entry = pending.get(offset);
      entry.deliveries++;
      hold(offset, entry, until);
      leases.add(new Lease(offset, entry.deliveries));
    }
    while (leases.size() < max && pending.size() < maxPending && next < end) {
      long offset = next++;
      if (acked.contains(offset)) {
        continue;
      }
      Pending entry = new Pending();
      entry.deliveries = 1;
      pending.put(offset, entry);
      hold(offset, entry, until);
      leases.add(new Lease(offset, 1));
    }
    return leases;
  }

  private void hold(long offset, Pending entry, long until) {
    if (!entry.leased) {
      leased++;
    }
    entry.leased = true;
    entry.until = until;
    expiries.add(new Expiry(until, offset));
  }

  /** Refuses an ack of an offset never given (or at or past the end); accepts one settled. */
  void checkAck(long offset, long end) {
    if (offset < 0 || offset >= end || !(isSettled(offset) || mayHaveBeenGiven(offset))) {
      throw LogQueueException.notDelivered(id, offset);
    }
  }

  /** Refuses a release, extend or reject of an offset that is not leased now. */
  void checkLeased(long offset, long now, long end) {
    Pending entry = pending.get(offset);
    if (entry != null && entry.leased && entry.until > now) {
      return;
    }
    if (offset >= 0 && offset < end && (isSettled(offset) || mayHaveBeenGiven(offset))) {
      throw LogQueueException.leaseExpired(id, offset);
    }
    throw LogQueueException.notDelivered(id, offset);
  }

  /** Refuses {@code ack_until} past the end. */
  void checkAckUntil(long until, long end) {
    if (until < 0 || until > end) {
      throw new LogQueueException(
          ErrorCode.NOT_DELIVERED,
          "'ack_until' "
              + until
              + " is beyond the topic's end ("
              + end
              + "): nothing was given there");
    }
  }

  private boolean isSettled(long offset) {
    return offset < floor || acked.contains(offset);
  }

  private boolean mayHaveBeenGiven(long offset) {
    return offset < next || offset < givenBefore;
  }

  /** Acknowledges a message (checked with {@link #checkAck}); acking twice changes nothing. */
  void ack(long offset) {
    if (isSettled(offset)) {
      return;
    }
    Pending entry = pending.remove(offset);
    if (entry != null) {
      unhold(entry);
      expiries.remove(new Expiry(entry.until, offset));
      ready.remove(offset);
    }
    settle(offset);
  }

  /** Acknowledges every message below {@code until} that may have been given. */
  void ackUntil(long until) {
    long limit = Math.min(until, Math.max(next, givenBefore));
    if (limit <= floor) {
      return;
    }
    dropBelow(limit);
    floor = limit;
    floorMoved = true;
    next = Math.max(next, limit);
    advanceFloor();
  }

  /**
   * Retention deleted the messages below {@code start}: what of them this consumer has not settled
   * is skipped (leased ones included, they cannot be given again), and the floor moves up to it.
   *
   * @return how many messages were skipped
   */
  long skipTo(long start) {
    if (start <= floor) {
      return 0;
    }
    long settledInRange = acked.headSet(start).size();
    long skipped = start - floor - settledInRange;
    dropBelow(start);
    floor = start;
    floorMoved = true;
    next = Math.max(next, start);
    givenBefore = Math.max(givenBefore, start);
    advanceFloor();
    return skipped;
  }

  private void dropBelow(long limit) {
    Map<Long, Pending> below = pending.headMap(limit);
    below.forEach(
        (offset, entry) -> {
          unhold(entry);
          expiries.remove(new Expiry(entry.until, offset));
        });
    below.clear();
    ready.headSet(limit).clear();
    acked.headSet(limit).clear();
  }

  private void unhold(Pending entry) {
    if (entry.leased) {
      entry.leased = false;
      leased--;
    }
  }

  /** Gives a leased message back, to be given again once {@code readyAt} comes. */
  void release(long offset, long readyAt) {
    Pending entry = pending.get(offset);
    expiries.remove(new Expiry(entry.until, offset));
    unhold(entry);
    entry.until = readyAt;
    expiries.add(new Expiry(readyAt, offset));
  }

  /** Renews a lease to {@code until}. */
  void extend(long offset, long until) {
    Pending entry = pending.get(offset);
    expiries.remove(new Expiry(entry.until, offset));
    hold(offset, entry, until);
  }

  /** Settles a leased message without processing it; returns how often it was given. */
  Settled reject(long offset) {
    Pending entry = pending.remove(offset);
    unhold(entry);
    expiries.remove(new Expiry(entry.until, offset));
    settle(offset);
    return new Settled(offset, entry.deliveries);
  }

  /** Moves the consumer: nothing is given, leased or acknowledged from {@code position} on. */
  void seek(long position) {
    acked.clear();
    pending.clear();
    expiries.clear();
    ready.clear();
    newAcks.clear();
    leased = 0;
    floor = position;
    next = position;
    givenBefore = position;
    ackedAbove = 0;
    reset = true;
    floorMoved = true;
  }

  private void settle(long offset) {
    acked.add(offset);
    newAcks.add(offset);
    advanceFloor();
  }

  /** Moves the floor past acknowledgements that reach it, and publishes how many stay above. */
  private void advanceFloor() {
    long moved = floor;
    while (!acked.isEmpty() && acked.first() == moved) {
      acked.pollFirst();
      moved++;
    }
    if (moved != floor) {
      floor = moved;
      floorMoved = true;
      next = Math.max(next, moved);
    }
    ackedAbove = acked.size();
  }

  /** What changed since the last commit, if anything; forgets it. */
  AckChanges drainChanges() {
    if (!reset && !floorMoved && newAcks.isEmpty()) {
      return null;
    }
    long current = floor;
    List<Long> above = new ArrayList<>(newAcks.size());
    for (long offset : newAcks) {
      if (offset >= current && acked.contains(offset)) {
        above.add(offset);
      }
    }
    AckChanges changes = new AckChanges(current, reset, above);
    newAcks.clear();
    reset = false;
    floorMoved = false;
    return changes;
  }
}
