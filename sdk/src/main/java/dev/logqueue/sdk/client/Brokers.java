package dev.logqueue.sdk.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One REST client over several brokers of a cluster: each call goes to the next broker in turn (any
 * member serves any request), skipping for a while one that could not be reached. The call that
 * found a broker unreachable fails as it would with one broker; the SDK's retry sends it again, to
 * the next one.
 */
public final class Brokers implements InvocationHandler {

  /** How long a broker that could not be reached is left out. */
  static final long QUARANTINE_NANOS = 5_000_000_000L;

  private final List<LogQueueApi> brokers;
  private final AtomicLongArray downUntil;
  private final AtomicInteger next;

  private Brokers(List<LogQueueApi> brokers, int start) {
    this.brokers = List.copyOf(brokers);
    this.downUntil = new AtomicLongArray(brokers.size());
    this.next = new AtomicInteger(start);
  }

  /**
   * A client that spreads calls over these; a single one is returned as it is.
   *
   * @param start which of them the first call goes to (clients started at different places spread
   *     their first calls too)
   */
  public static LogQueueApi over(List<LogQueueApi> brokers, int start) {
    if (brokers.isEmpty()) {
      throw new IllegalArgumentException("No broker");
    }
    if (brokers.size() == 1) {
      return brokers.get(0);
    }
    return (LogQueueApi)
        Proxy.newProxyInstance(
            LogQueueApi.class.getClassLoader(),
            new Class<?>[] {LogQueueApi.class},
            new Brokers(brokers, Math.floorMod(start, brokers.size())));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "close" -> {
        if (method.getParameterCount() == 0) {
          for (LogQueueApi broker : brokers) {
            broker.close();
          }
          return null;
        }
      }
      case "toString" -> {
        if (method.getParameterCount() == 0) {
          return "LogQueueApi over " + brokers.size() + " brokers";
        }
      }
      case "hashCode" -> {
        if (method.getParameterCount() == 0) {
          return System.identityHashCode(proxy);
        }
      }
      case "equals" -> {
        if (method.getParameterCount() == 1) {
          return proxy == args[0];
        }
      }
      default -> {
        // a call of the API
      }
    }
    int chosen = choose();
    try {
      Object result = method.invoke(brokers.get(chosen), args);
      if (result instanceof CompletionStage<?> stage) {
        return stage.whenComplete(
            (value, failure) -> {
              if (failure != null && isUnreachable(failure)) {
                quarantine(chosen);
              }
            });
      }
      return result;
    } catch (InvocationTargetException e) {
      if (isUnreachable(e.getCause())) {
        quarantine(chosen);
      }
      throw e.getCause();
    }
  }

  /** The next broker in turn that is not left out; the next in turn if all are. */
  private int choose() {
    int size = brokers.size();
    int first = Math.floorMod(next.getAndIncrement(), size);
    long now = System.nanoTime();
    for (int i = 0; i < size; i++) {
      int candidate = (first + i) % size;
      if (now - downUntil.get(candidate) >= 0) {
        return candidate;
      }
    }
    return first;
  }

  private void quarantine(int broker) {
    downUntil.set(broker, System.nanoTime() + QUARANTINE_NANOS);
  }

  /** Whether the failure says the broker could not be reached (the request never left). */
  public static boolean isUnreachable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (isConnectFailure(cause)) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * A connection refused, a host unknown or unroutable, or a connect that timed out: in each, the
   * request was never sent.
   */
  public static boolean isConnectFailure(Throwable cause) {
    return cause instanceof ConnectException
        || cause instanceof UnknownHostException
        || cause instanceof NoRouteToHostException
        || cause.getClass().getSimpleName().contains("ConnectTimeout")
        || (cause instanceof SocketTimeoutException
            && String.valueOf(cause.getMessage())
                .toLowerCase(java.util.Locale.ROOT)
                .contains("connect"));
  }
}
