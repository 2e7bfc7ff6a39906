package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The waiting room of long polls: consumes that found nothing to give wait here, parked without a
 * thread, until a commit changes their topic or their timer fires. Used by the committer's thread,
 * and by the timers (through the commands' own phase, which settles who takes a command).
 */
final class WaitingConsumes {

  private final Map<TopicName, List<Command.Consume>> waiting = new HashMap<>();
  private final ScheduledExecutorService timers;
  private final Consumer<Command<?>> requeue;
  private final LongSupplier deadline;
  private final AtomicLong count = new AtomicLong();

  /**
   * @param requeue hands a consume whose timer fired before its wait ended back to the committer
   * @param deadline the commit deadline a command taken back gets
   */
  WaitingConsumes(
      ScheduledExecutorService timers, Consumer<Command<?>> requeue, LongSupplier deadline) {
    this.timers = timers;
    this.requeue = requeue;
    this.deadline = deadline;
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** How many consumes wait now (any thread may ask). */
  long count() {
    return count.get();
  }

  /**
   * Parks a consume until its topic changes; its timer ends the wait at {@code wakeAt} (the end of
   * its wait, or sooner when a lease it could take expires then).
   */
  void park(Command.Consume consume, long wakeAt) {
    consume.park(count);
    List<Command.Consume> parked = waiting.computeIfAbsent(consume.topic(), t -> new ArrayList<>());
    if (parked.size() >= 64 && Integer.bitCount(parked.size()) == 1) {
      parked.removeIf(Command::isDone); // those that expired or were withdrawn
    }
    parked.add(consume);
    consume.cancelTimer();
    long delay = wakeAt - System.nanoTime();
    consume.timer(timers.schedule(() -> fired(consume), Math.max(0, delay), TimeUnit.NANOSECONDS));
  }

  /** On the timer's thread: the wait is over (answer empty), or something may be there now. */
  private void fired(Command.Consume consume) {
    if (System.nanoTime() - consume.waitUntil() >= 0) {
      consume.expire();
    } else if (consume.requeue(deadline.getAsLong())) {
      requeue.accept(consume);
    }
  }

  /** Takes back what waited on these topics, to be applied again with a new deadline. */
  List<Command<?>> wake(List<TopicName> topics, long deadline) {
    List<Command<?>> woken = new ArrayList<>();
    for (TopicName topic : topics) {
      List<Command.Consume> parked = waiting.remove(topic);
      if (parked != null) {
        for (Command.Consume consume : parked) {
          if (consume.wake(deadline)) {
            woken.add(consume);
          }
        }
      }
    }
    return woken;
  }

  /** Refuses every consume that waits. */
  void failAll(LogQueueException refusal) {
    for (List<Command.Consume> parked : waiting.values()) {
      for (Command.Consume consume : parked) {
        if (consume.withdraw()) {
          consume.fail(refusal);
        }
      }
    }
    waiting.clear();
  }
}
