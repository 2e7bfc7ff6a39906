package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.LogQueueException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an explicit consumer settles in one request (POST /consumer/ack, or the same fields with a
 * consume): offsets processed ({@code ack}, and everything given below {@code ackUntil}), given
 * back ({@code release}, ready again after {@code delayMillis}), kept longer ({@code extend}), or
 * sent to the dead-letter topic ({@code reject}). All of it, or nothing.
 */
public record AckRequest(
    List<Long> ack,
    Optional<Long> ackUntil,
    List<Long> release,
    List<Long> extend,
    List<Long> reject,
    long delayMillis) {

  /** The longest delay of a release: an hour, the longest lease. */
  public static final long MAX_DELAY_MILLIS = 3_600_000;

  public static final AckRequest NONE =
      new AckRequest(List.of(), Optional.empty(), List.of(), List.of(), List.of(), 0);

  public AckRequest {
    ack = List.copyOf(ack);
    release = List.copyOf(release);
    extend = List.copyOf(extend);
    reject = List.copyOf(reject);
    if (delayMillis < 0 || delayMillis > MAX_DELAY_MILLIS) {
      throw LogQueueException.badRequest(
          "Field 'delay_ms' must be an integer from 0 to " + MAX_DELAY_MILLIS);
    }
    Set<Long> seen = new HashSet<>();
    for (List<Long> offsets : List.of(ack, release, extend, reject)) {
      for (long offset : offsets) {
        if (!seen.add(offset)) {
          throw LogQueueException.badRequest(
              "Offset "
                  + offset
                  + " is given twice in 'offsets', 'release', 'extend' and 'reject'; each at most"
                  + " once");
        }
      }
    }
  }

  public boolean isEmpty() {
    return ack.isEmpty()
        && ackUntil.isEmpty()
        && release.isEmpty()
        && extend.isEmpty()
        && reject.isEmpty();
  }

  /** How many offsets it names (what it weighs in a batch). */
  int size() {
    return ack.size() + release.size() + extend.size() + reject.size() + 1;
  }
}
