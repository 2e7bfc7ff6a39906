package dev.logqueue.cli;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code produce} and {@code consume}, like the original system's test scripts: lines of files to
 * topics, in batches; every message of topics to standard output, {@code topic<TAB>message}.
 */
final class Transfer {

  /** Lines sent in one request at most, and bytes of them (the broker takes 1000 and 4 MiB). */
  static final int BATCH_MESSAGES = 500;

  static final long BATCH_BYTES = 1 << 20;

  private final Connection broker;
  private final PrintStream out;

  Transfer(Connection broker, PrintStream out) {
    this.broker = broker;
    this.out = out;
  }

  int produce(List<String> topics, List<String> files, boolean topicColumn) throws IOException {
    for (String file : files) {
      if (!file.equals("-") && !Files.isRegularFile(Path.of(file))) {
        throw new NoSuchFileException(file);
      }
    }
    long sent;
    try (Producer producer = broker.producer().topics(topics).build()) {
      Batches batches = new Batches(producer);
      for (String file : files) {
        try (BufferedReader lines = open(file)) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isBlank()) {
              batches.add(topicColumn ? lastColumn(line) : topics.get(0), line);
            }
            if (!lines.ready()) {
              batches.flush(); // nothing more to read now (a terminal, a pipe): send what there is
            }
          }
        }
      }
      batches.flush();
      sent = batches.sent;
    }
    out.println("sent " + sent + (sent == 1 ? " message" : " messages"));
    return 0;
  }

  /** Lines waiting to be sent, by topic, in the order they were read. */
  private static final class Batches {

    /** One topic's lines not sent yet, and their size in bytes of UTF-8. */
    private static final class Pending {
      final List<String> lines = new ArrayList<>();
      long bytes;
    }

    private final Producer producer;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private long sent;

    Batches(Producer producer) {
      this.producer = producer;
    }

    void add(String topic, String line) {
      long size = line.getBytes(StandardCharsets.UTF_8).length;
      Pending lines = pending.get(topic);
      if (lines != null && lines.bytes + size > BATCH_BYTES) {
        send(topic);
        lines = null;
      }
      if (lines == null) {
        lines = new Pending();
        pending.put(topic, lines);
      }
      lines.lines.add(line);
      lines.bytes += size;
      if (lines.lines.size() >= BATCH_MESSAGES) {
        send(topic);
      }
    }

    void flush() {
      for (String topic : List.copyOf(pending.keySet())) {
        send(topic);
      }
    }

    private void send(String topic) {
      Pending lines = pending.remove(topic);
      if (lines != null && !lines.lines.isEmpty()) {
        producer.sendBatch(topic, lines.lines);
        sent += lines.lines.size();
      }
    }
  }

  private static BufferedReader open(String file) throws IOException {
    return "-".equals(file)
        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
  }

  private static String lastColumn(String line) {
    String[] columns = line.split("\t");
    return columns[columns.length - 1].strip();
  }

  int consume(List<String> topics, boolean follow, long max) {
    try (Consumer consumer = broker.consumer().topics(topics).build()) {
      Runtime.getRuntime().addShutdownHook(new Thread(consumer::stop));
      // --follow waits for messages until stopped; otherwise it stops once every topic is read
      Duration wait = follow ? Duration.ofSeconds(1) : Duration.ZERO;
      for (long left = max; left > 0 && !consumer.isStopped(); ) {
        // never more than asked for: what a consume answers is taken
        List<Message> batch = consumer.pollBatch(wait, (int) Math.min(left, 1000));
        if (batch.isEmpty() && !follow) {
          break;
        }
        for (Message message : batch) {
          out.println(message.topic() + "\t" + message.text());
        }
        left -= batch.size();
      }
    }
    out.flush();
    return 0;
  }
}
