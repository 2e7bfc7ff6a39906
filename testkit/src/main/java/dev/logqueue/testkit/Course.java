package dev.logqueue.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The original end-to-end test (course-5p3c): five producers' log files, each line sent to the
 * topic in its last column, and three consumers. T-1 goes from P1 P2 P3 to C1 C2 C3; T-2 from P1 P4
 * P5 to C1; T-3 from P1 P2 to C1 C2 C3.
 */
public final class Course {

  public static final List<String> PRODUCERS = List.of("P1", "P2", "P3", "P4", "P5");

  /** Each consumer and the topics it reads. */
  public static final Map<String, List<String>> CONSUMERS =
      orderedMap(
          "C1",
          List.of("T-1", "T-2", "T-3"),
          "C2",
          List.of("T-1", "T-3"),
          "C3",
          List.of("T-1", "T-3"));

  /**
   * A line of a producer's file. The message sent is the line, tagged with its producer and line
   * number so that a test can tell every message apart (the files repeat lines).
   */
  public record Line(String producer, int number, String text, String topic) {
    public String message() {
      return producer + "#" + number + " " + text;
    }
  }

  private static final Map<String, List<Line>> LINES = new ConcurrentHashMap<>();

  private Course() {}

  /** The lines of a producer's file, in order (read once). */
  public static List<Line> lines(String producer) {
    return LINES.computeIfAbsent(producer, Course::read);
  }

  private static List<Line> read(String producer) {
    String file = "course-5p3c/producer_" + producer.substring(1) + ".txt";
    try (InputStream in = Course.class.getClassLoader().getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("Missing " + file);
      }
      List<Line> lines = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int number = 0;
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        number++;
        if (!text.isBlank()) {
          String[] columns = text.split("\t");
          lines.add(new Line(producer, number, text, columns[columns.length - 1].strip()));
        }
      }
      return List.copyOf(lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The topics a producer registers for: those its file names. */
  public static Set<String> topicsOf(String producer) {
    Set<String> topics = new LinkedHashSet<>();
    lines(producer).forEach(line -> topics.add(line.topic()));
    return topics;
  }

  /** Every message sent to a topic, by producer. */
  public static Map<String, List<String>> sentTo(String topic) {
    Map<String, List<String>> sent = new LinkedHashMap<>();
    for (String producer : PRODUCERS) {
      for (Line line : lines(producer)) {
        if (line.topic().equals(topic)) {
          sent.computeIfAbsent(producer, p -> new ArrayList<>()).add(line.message());
        }
      }
    }
    return sent;
  }

  /** How many messages are sent to a topic, by all its producers. */
  public static int count(String topic) {
    return sentTo(topic).values().stream().mapToInt(List::size).sum();
  }

  /**
   * Checks what the consumers received, by consumer and topic: each got every message of its topics
   * once, each producer's messages in the producer's order, and all consumers of a topic the same
   * order.
   *
   * @throws AssertionError on the first thing that is wrong
   */
  public static void verify(Map<String, Map<String, List<String>>> received) {
    Map<String, List<String>> orderOf = new HashMap<>();
    for (var consumer : CONSUMERS.entrySet()) {
      for (String topic : consumer.getValue()) {
        List<String> got =
            received.getOrDefault(consumer.getKey(), Map.of()).getOrDefault(topic, List.of());
        Map<String, List<String>> sent = sentTo(topic);
        int expected = count(topic);
        String who = consumer.getKey() + " on " + topic;
        check(got.size() == expected, who + " got " + got.size() + " messages, not " + expected);
        check(new HashSet<>(got).size() == got.size(), who + " got a message twice");
        for (var producer : sent.entrySet()) {
          List<String> fromProducer =
              got.stream().filter(m -> m.startsWith(producer.getKey() + "#")).toList();
          check(
              fromProducer.equals(producer.getValue()),
              who + ": the messages of " + producer.getKey() + " are missing or out of order");
        }
        List<String> first = orderOf.putIfAbsent(topic, got);
        check(first == null || first.equals(got), who + " saw another order than the others");
      }
    }
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new AssertionError(failure);
    }
  }

  private static <V> Map<String, V> orderedMap(String k1, V v1, String k2, V v2, String k3, V v3) {
    Map<String, V> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    map.put(k3, v3);
    return java.util.Collections.unmodifiableMap(map);
  }
}
