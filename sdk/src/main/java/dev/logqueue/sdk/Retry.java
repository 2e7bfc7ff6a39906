package dev.logqueue.sdk;

import dev.logqueue.sdk.client.Brokers;
import jakarta.ws.rs.ProcessingException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Retries with exponential backoff (and jitter) when a call may safely be made again.
 *
 * <ul>
 *   <li>Any call, when the request never left (the connection was refused, or timed out) or the
 *       broker answered 503 {@code unavailable} (its database is down and it stored nothing).
 *   <li>Idempotent calls only (status, list topics, size), when the connection broke or timed out
 *       after the request was sent: the broker may have acted on it, and sending a message or a
 *       consume again could duplicate or skip one.
 * </ul>
 *
 * @param attempts how many times a call is tried in all (1: no retry)
 * @param initialBackoff the wait before the first retry; it doubles up to {@code maxBackoff}
 */
public record Retry(int attempts, Duration initialBackoff, Duration maxBackoff) {

  public static final Retry DEFAULT = new Retry(5, Duration.ofMillis(100), Duration.ofSeconds(2));
  public static final Retry NONE = new Retry(1, Duration.ZERO, Duration.ZERO);

  public Retry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  /** Calls until it succeeds, fails for good, or the attempts are spent. */
  public <T> T call(String what, boolean idempotent, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (attempt >= attempts || !isRetryable(e, idempotent)) {
          throw translate(what, e);
        }
        sleep(backoff(attempt));
      }
    }
  }

  /** The same, for calls that answer later; waits between attempts without holding a thread. */
  public <T> CompletionStage<T> callAsync(
      String what, boolean idempotent, Supplier<CompletionStage<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attemptAsync(what, idempotent, call, 1, result);
    return result;
  }

  private <T> void attemptAsync(
      String what,
      boolean idempotent,
      Supplier<CompletionStage<T>> call,
      int attempt,
      CompletableFuture<T> result) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (value, thrown) -> {
          if (thrown == null) {
            result.complete(value);
            return;
          }
          RuntimeException e = unwrap(thrown);
          if (attempt >= attempts || !isRetryable(e, idempotent)) {
            result.completeExceptionally(translate(what, e));
            return;
          }
          CompletableFuture.delayedExecutor(backoff(attempt).toMillis(), TimeUnit.MILLISECONDS)
              .execute(() -> attemptAsync(what, idempotent, call, attempt + 1, result));
        });
  }

  private static RuntimeException unwrap(Throwable thrown) {
    Throwable cause = thrown;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof RuntimeException runtime
        ? runtime
        : new ProcessingException(cause.getMessage(), cause);
  }

  static boolean isRetryable(RuntimeException e, boolean idempotent) {
    if (e instanceof ProcessingException && e.getCause() instanceof LogQueueException refusal) {
      e = refusal; // the broker's answer, wrapped by the client on its way: judged as translated
    }
    if (e instanceof BrokerUnavailableException) {
      return true;
    }
    if (e instanceof ProcessingException) {
      return idempotent || neverSent(e);
    }
    return false;
  }

  /** Whether the request surely never reached the broker. */
  private static boolean neverSent(Throwable e) {
    return Brokers.isUnreachable(e);
  }

  /** What the caller sees: the broker's typed refusal, or that the broker is unavailable. */
  static RuntimeException translate(String what, RuntimeException e) {
    if (e instanceof ProcessingException) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof LogQueueException refusal) {
        return refusal;
      }
      return BrokerUnavailableException.unreachable(what, cause);
    }
    return e;
  }

  Duration backoff(int attempt) {
    long initial = Math.max(1, initialBackoff.toMillis());
    long ceiling = Math.max(initial, maxBackoff.toMillis());
    long exponential = Math.min(ceiling, initial << Math.min(attempt - 1, 20));
    long jitter = ThreadLocalRandom.current().nextLong(exponential / 4 + 1);
    return Duration.ofMillis(exponential - exponential / 8 + jitter);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerUnavailableException(0, null, "Interrupted while waiting to retry", e);
    }
  }
}
