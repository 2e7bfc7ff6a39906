package dev.logqueue.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RetryTest {

  static final Retry QUICK = new Retry(4, Duration.ofMillis(1), Duration.ofMillis(4));

  /** Fails {@code failures} times with the given exception, then answers "ok". */
  static Supplier<String> failing(int failures, RuntimeException failure, AtomicInteger calls) {
    return () -> {
      if (calls.incrementAndGet() <= failures) {
        throw failure;
      }
      return "ok";
    };
  }

  static final RuntimeException REFUSED =
      new ProcessingException("refused", new ConnectException("Connection refused"));
  static final RuntimeException TIMED_OUT =
      new ProcessingException("timeout", new SocketTimeoutException("Read timed out"));
  static final RuntimeException UNAVAILABLE = LogQueueException.of(503, "unavailable", "db down");

  @Test
  void anyCallIsRetriedWhenTheRequestNeverLeftOrTheBrokerStoredNothing() {
    for (RuntimeException failure : new RuntimeException[] {REFUSED, UNAVAILABLE}) {
      AtomicInteger calls = new AtomicInteger();
      assertEquals("ok", QUICK.call("produce", false, failing(3, failure, calls)));
      assertEquals(4, calls.get());
    }
  }

  @Test
  void aTimeoutAfterSendingIsRetriedOnlyForIdempotentCalls() {
    AtomicInteger calls = new AtomicInteger();
    assertEquals("ok", QUICK.call("size", true, failing(2, TIMED_OUT, calls)));
    assertEquals(3, calls.get());

    AtomicInteger once = new AtomicInteger();
    BrokerUnavailableException e =
        assertThrows(
            BrokerUnavailableException.class,
            () -> QUICK.call("consume", false, failing(2, TIMED_OUT, once)));
    assertEquals(1, once.get(), "a consume that may have happened is not sent again");
    assertTrue(e.getMessage().contains("consume"), e.getMessage());
  }

  @Test
  void refusalsAreNotRetriedAndGiveUpComesAsBrokerUnavailable() {
    AtomicInteger calls = new AtomicInteger();
    RuntimeException missing = LogQueueException.of(404, "topic_not_found", "no");
    assertSame(
        missing,
        assertThrows(
            TopicNotFoundException.class, () -> QUICK.call("x", true, failing(1, missing, calls))));
    assertEquals(1, calls.get());

    AtomicInteger always = new AtomicInteger();
    BrokerUnavailableException e =
        assertThrows(
            BrokerUnavailableException.class,
            () -> QUICK.call("list topics", true, failing(99, REFUSED, always)));
    assertEquals(4, always.get());
    assertInstanceOf(ConnectException.class, e.getCause());
  }

  @Test
  void asynchronousCallsAreRetriedTheSameWay() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<java.util.concurrent.CompletionStage<String>> async =
        () ->
            calls.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new CompletionException(REFUSED))
                : CompletableFuture.completedFuture("ok");
    assertEquals("ok", QUICK.callAsync("produce", false, async).toCompletableFuture().join());
    assertEquals(3, calls.get());

    AtomicInteger timeouts = new AtomicInteger();
    CompletableFuture<String> failed =
        QUICK
            .callAsync(
                "produce",
                false,
                () -> {
                  timeouts.incrementAndGet();
                  return CompletableFuture.<String>failedFuture(TIMED_OUT);
                })
            .toCompletableFuture();
    CompletionException e = assertThrows(CompletionException.class, failed::join);
    assertInstanceOf(BrokerUnavailableException.class, e.getCause());
    assertEquals(1, timeouts.get());
  }

  @Test
  void backoffGrowsToItsCeiling() {
    Retry retry = new Retry(10, Duration.ofMillis(100), Duration.ofMillis(800));
    assertTrue(retry.backoff(1).toMillis() >= 87 && retry.backoff(1).toMillis() <= 113);
    assertTrue(retry.backoff(2).toMillis() >= 175);
    assertTrue(retry.backoff(9).toMillis() <= 900);
  }
}
