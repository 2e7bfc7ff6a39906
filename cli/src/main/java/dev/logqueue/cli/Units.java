package dev.logqueue.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations and sizes as people write and read them: 7d, 12h, 500ms; 10GB, 512MiB. */
final class Units {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d|w)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE =
      Pattern.compile(
          "(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?", Pattern.CASE_INSENSITIVE);

  private static final Map<String, Long> MILLIS =
      Map.of(
          "ms", 1L,
          "s", 1_000L,
          "m", 60_000L,
          "min", 60_000L,
          "h", 3_600_000L,
          "d", 86_400_000L,
          "w", 604_800_000L);
  private static final Map<String, Long> BYTES =
      Map.of(
          "b", 1L,
          "kb", 1_000L,
          "mb", 1_000_000L,
          "gb", 1_000_000_000L,
          "tb", 1_000_000_000_000L,
          "kib", 1L << 10,
          "mib", 1L << 20,
          "gib", 1L << 30,
          "tib", 1L << 40);

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private Units() {}

  /** Milliseconds of "7d", "12h", "15m", "30s", "500ms", "0"; a number alone is milliseconds. */
  static long millis(String text) throws UsageException {
    Matcher matcher = DURATION.matcher(text.strip());
    if (!matcher.matches()) {
      throw new UsageException(
          "'" + text + "' is not a duration (500ms, 30s, 15m, 12h, 7d, 2w, or 0)");
    }
    String unit = matcher.group(2) == null ? "ms" : matcher.group(2).toLowerCase(Locale.ROOT);
    return Math.round(Double.parseDouble(matcher.group(1)) * MILLIS.get(unit));
  }

  /** Bytes of "10GB", "512MiB", "1048576", "0". */
  static long bytes(String text) throws UsageException {
    Matcher matcher = SIZE.matcher(text.strip());
    if (!matcher.matches()) {
      throw new UsageException("'" + text + "' is not a size (1048576, 512MiB, 10GB, or 0)");
    }
    String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
    return Math.round(Double.parseDouble(matcher.group(1)) * BYTES.get(unit));
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
  }

  static String duration(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "min", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis >= sizes[i]) {
        double value = (double) millis / sizes[i];
        return value < 10 && i < 3
            ? String.format(Locale.ROOT, "%.1f %s", value, names[i]).replace(".0 ", " ")
            : (millis / sizes[i]) + " " + names[i];
      }
    }
    return millis + " ms";
  }

  /** A topic's retention: "7 d, 1.0 GiB", "forever". */
  static String retention(long millis, long bytes) {
    if (millis == 0 && bytes == 0) {
      return "forever";
    }
    if (millis == 0) {
      return size(bytes);
    }
    return bytes == 0 ? duration(millis) : duration(millis) + ", " + size(bytes);
  }

  static String time(Instant instant) {
    return TIME.format(LocalDateTime.ofInstant(instant, ZoneId.systemDefault()));
  }

  static String age(Instant since, Instant now) {
    return duration(Math.max(0, Duration.between(since, now).toMillis()));
  }
}
