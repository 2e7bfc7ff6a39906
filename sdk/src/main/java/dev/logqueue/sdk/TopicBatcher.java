package dev.logqueue.sdk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One topic's messages on their way: gathered into batches ({@link Batching}), one request in
 * flight at a time, so that batches are committed in the order their messages were given, retries
 * included. Each unit (a message, or a {@code sendBatch}) is never split; its future completes with
 * its offsets once the broker committed its batch, or fails with its batch.
 */
final class TopicBatcher {

  /** Sends messages in one request, all or none, with their ids; answers their offsets. */
  interface Sender {
    CompletionStage<List<Long>> send(List<String> messages, List<String> messageIds);
  }

  /** Messages sent together, and who waits for them. */
  record Unit(
      List<String> messages,
      List<String> messageIds,
      long bytes,
      CompletableFuture<List<Long>> done) {}

  private final Batching limits;
  private final Sender sender;
  private final Consumer<Unit> onSettled;
  private final ArrayDeque<Unit> pending = new ArrayDeque<>();
  private int pendingMessages;
  private long pendingBytes;
  private long oldestArrival;
  private boolean inFlight;
  private boolean lingerScheduled;
  private boolean flushing;

  /**
   * {@code onSettled}: told of each unit once it is committed or has failed, before its future is.
   */
  TopicBatcher(Batching limits, Sender sender, Consumer<Unit> onSettled) {
    this.limits = limits;
    this.sender = sender;
    this.onSettled = onSettled;
  }

  void add(Unit unit) {
    List<Unit> batch;
    synchronized (this) {
      if (pending.isEmpty()) {
        oldestArrival = System.nanoTime();
      }
      pending.add(unit);
      pendingMessages += unit.messages().size();
      pendingBytes += unit.bytes();
      batch = nextBatch();
    }
    dispatch(batch);
  }

  /** Sends what waits now, without its linger, batch after batch until none is left. */
  void flush() {
    List<Unit> batch;
    synchronized (this) {
      flushing = true;
      batch = nextBatch();
    }
    dispatch(batch);
  }

  /**
   * The batch to send now, marked in flight, or null: when one is in flight, when nothing waits, or
   * when what waits may still linger (then a timer comes back for it).
   */
  private List<Unit> nextBatch() {
    if (inFlight || pending.isEmpty()) {
      return null;
    }
    long lingered = System.nanoTime() - oldestArrival;
    long linger = limits.linger().toNanos();
    if (!flushing
        && lingered < linger
        && pendingMessages < limits.maxMessages()
        && pendingBytes < limits.maxBytes()) {
      if (!lingerScheduled) {
        lingerScheduled = true;
        CompletableFuture.delayedExecutor(linger - lingered, TimeUnit.NANOSECONDS)
            .execute(this::lingerEnded);
      }
      return null;
    }
    List<Unit> batch = new ArrayList<>();
    int messages = 0;
    long bytes = 0;
    while (!pending.isEmpty()) {
      Unit next = pending.peek();
      if (!batch.isEmpty()
          && (messages + next.messages().size() > limits.maxMessages()
              || bytes + next.bytes() > limits.maxBytes())) {
        break;
      }
      pending.poll();
      batch.add(next);
      messages += next.messages().size();
      bytes += next.bytes();
    }
    pendingMessages -= messages;
    pendingBytes -= bytes;
    flushing &= !pending.isEmpty();
    inFlight = true;
    return batch;
  }

  private void lingerEnded() {
    List<Unit> batch;
    synchronized (this) {
      lingerScheduled = false;
      batch = nextBatch();
    }
    dispatch(batch);
  }

  private void dispatch(List<Unit> batch) {
    if (batch == null) {
      return;
    }
    List<String> messages = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Unit unit : batch) {
      messages.addAll(unit.messages());
      ids.addAll(unit.messageIds());
    }
    send(messages, ids)
        .whenComplete(
            (offsets, thrown) -> {
              Throwable failure = unwrap(thrown);
              if (failure instanceof MessageTooLargeException && batch.size() > 1) {
                // one of them is over a limit: each on its own, in order, so only its sender fails
                oneByOne(batch, 0).whenComplete((done, ignored) -> sent());
                return;
              }
              sent(); // the next batch goes before this one's callers run
              settle(batch, offsets, failure);
            });
  }

  private CompletableFuture<Void> oneByOne(List<Unit> units, int index) {
    if (index == units.size()) {
      return CompletableFuture.completedFuture(null);
    }
    Unit unit = units.get(index);
    return send(unit.messages(), unit.messageIds())
        .handle(
            (offsets, thrown) -> {
              settle(List.of(unit), offsets, unwrap(thrown));
              return null;
            })
        .thenCompose(settled -> oneByOne(units, index + 1))
        .toCompletableFuture();
  }

  /** The sender's answer; a sender that throws answers with its failure. */
  private CompletionStage<List<Long>> send(List<String> messages, List<String> messageIds) {
    try {
      return sender.send(messages, messageIds);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The request in flight is answered: the next batch may go. */
  private void sent() {
    List<Unit> batch;
    synchronized (this) {
      inFlight = false;
      batch = nextBatch();
    }
    dispatch(batch);
  }

  /**
   * Completes each unit's future, after telling {@code onSettled} of it: whoever sees a unit done
   * sees it settled too (its buffer released).
   */
  private void settle(List<Unit> batch, List<Long> offsets, Throwable failure) {
    int from = 0;
    for (Unit unit : batch) {
      int size = unit.messages().size();
      onSettled.accept(unit);
      if (failure != null) {
        unit.done().completeExceptionally(failure);
      } else if (offsets == null || offsets.size() < from + size) {
        unit.done()
            .completeExceptionally(
                new IllegalStateException(
                    "The broker answered "
                        + (offsets == null ? "no" : offsets.size())
                        + " offsets for a batch of "
                        + (from + size)
                        + " or more messages"));
      } else {
        unit.done().complete(List.copyOf(offsets.subList(from, from + size)));
      }
      from += size;
    }
  }

  private static Throwable unwrap(Throwable thrown) {
    Throwable cause = thrown;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
