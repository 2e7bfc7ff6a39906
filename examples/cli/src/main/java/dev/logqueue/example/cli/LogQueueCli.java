package dev.logqueue.example.cli;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.LogQueueException;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A command-line producer and consumer on the LogQueue SDK, like the original system's test
 * scripts.
 *
 * <pre>
 * logqueue-cli produce [--broker URL] --topic T FILE...   each line of the files (or - for stdin)
 *                                                         is a message to topic T
 * logqueue-cli produce [--broker URL] --topic-column FILE... each line goes to the topic named in
 *                                                         its last tab-separated column
 * logqueue-cli consume [--broker URL] --topic T [--topic T2...] [--follow] [--max N]
 *                                                         prints "topic TAB message" per message;
 *                                                         stops when every topic is read, unless
 *                                                         --follow
 * </pre>
 */
public final class LogQueueCli {

  private LogQueueCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; the exit status: 0 done, 1 refused by the broker, 2 bad usage. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      return usage(err);
    }
    String broker = "http://localhost:8080";
    List<String> topics = new ArrayList<>();
    List<String> files = new ArrayList<>();
    boolean topicColumn = false;
    boolean follow = false;
    long max = Long.MAX_VALUE;
    try {
      for (int i = 1; i < args.length; i++) {
        switch (args[i]) {
          case "--broker" -> broker = args[++i];
          case "--topic" -> topics.add(args[++i]);
          case "--topic-column" -> topicColumn = true;
          case "--follow" -> follow = true;
          case "--max" -> max = Long.parseLong(args[++i]);
          default -> files.add(args[i]);
        }
      }
      boolean produceUsage =
          !files.isEmpty() && (topicColumn ? topics.isEmpty() : topics.size() == 1);
      return switch (args[0]) {
        case "produce" ->
            produceUsage ? produce(broker, topics, topicColumn, files, out) : usage(err);
        case "consume" ->
            !topics.isEmpty() && files.isEmpty()
                ? consume(broker, topics, follow, max, out)
                : usage(err);
        default -> usage(err);
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      return usage(err);
    } catch (LogQueueException e) {
      err.println(
          "logqueue: " + e.getMessage() + (e.error() != null ? " (" + e.error() + ")" : ""));
      return 1;
    } catch (IOException e) {
      err.println("logqueue: " + e.getMessage());
      return 1;
    }
  }

  private static int produce(
      String broker, List<String> topics, boolean topicColumn, List<String> files, PrintStream out)
      throws IOException {
    long sent = 0;
    try (Producer producer = Producer.builder(broker).topics(topics).build()) {
      for (String file : files) {
        try (BufferedReader lines = open(file)) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
              continue;
            }
            String topic = topicColumn ? lastColumn(line) : topics.get(0);
            producer.send(topic, line);
            sent++;
          }
        }
      }
    }
    out.println("sent " + sent + " messages");
    return 0;
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

  private static int consume(
      String broker, List<String> topics, boolean follow, long max, PrintStream out) {
    try (Consumer consumer = Consumer.builder(broker).topics(topics).build()) {
      Runtime.getRuntime().addShutdownHook(new Thread(consumer::stop));
      Iterator<Message> messages = consumer.iterator();
      for (long printed = 0; printed < max; printed++) {
        // --follow waits for messages until interrupted; otherwise stop once every topic is read
        Optional<Message> message =
            follow
                ? (messages.hasNext() ? Optional.of(messages.next()) : Optional.empty())
                : consumer.poll(Duration.ZERO);
        if (message.isEmpty()) {
          break;
        }
        out.println(message.get().topic() + "\t" + message.get().text());
      }
    }
    out.flush();
    return 0;
  }

  private static int usage(PrintStream err) {
    err.println(
        """
        usage: logqueue-cli produce [--broker URL] --topic T FILE...
               logqueue-cli produce [--broker URL] --topic-column FILE...
               logqueue-cli consume [--broker URL] --topic T [--topic T2]... [--follow] [--max N]
        FILE "-" is standard input. --broker defaults to http://localhost:8080.""");
    return 2;
  }
}
