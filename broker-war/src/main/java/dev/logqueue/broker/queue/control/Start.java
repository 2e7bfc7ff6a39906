package dev.logqueue.broker.queue.control;

/** Where a new consumer begins: the first retained message, the current end, or an offset. */
public record Start(Kind kind, long offset) {

  public enum Kind {
    EARLIEST,
    LATEST,
    OFFSET
  }

  public static final Start EARLIEST = new Start(Kind.EARLIEST, 0);
  public static final Start LATEST = new Start(Kind.LATEST, 0);

  public static Start at(long offset) {
    return new Start(Kind.OFFSET, offset);
  }

  /** The offset on a topic that retains {@code [start, end)}, clamped to that range. */
  long resolve(long start, long end) {
    return switch (kind) {
      case EARLIEST -> start;
      case LATEST -> end;
      case OFFSET -> Math.max(start, Math.min(offset, end));
    };
  }
}
