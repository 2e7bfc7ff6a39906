package dev.logqueue.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what a broker does in the background: a condition, looked at every few ms. */
public final class Eventually {

  private Eventually() {}

  /** Returns once {@code condition} holds; fails the test if it does not within {@code limit}. */
  public static void eventually(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Not within " + limit.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
