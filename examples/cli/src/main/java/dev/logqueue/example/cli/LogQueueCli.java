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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command-line producer and consumer on the LogQueue SDK, like the original system's test
 * scripts; {@link #USAGE} says how to call it. Exit status: 0 done, 1 the broker refused or a file
 * could not be read, 2 bad usage.
 */
public final class LogQueueCli {

  static final String USAGE =
      """
      usage: logqueue-cli produce [--broker URL] --topic T FILE...
             logqueue-cli produce [--broker URL] --topic-column FILE...
             logqueue-cli consume [--broker URL] --topic T [--topic T2]... [--follow] [--max N]

      produce   sends each line of the files (FILE "-" is standard input) as a message: to topic T,
                or with --topic-column to the topic named in the line's last tab-separated column;
                lines go in batches, in order per topic
      consume   prints "topic<TAB>message" for each message of the topics, in order per topic, and
                stops when every topic is read (--follow: waits for more until Ctrl-C); --max N
                stops after N messages
      --broker  the broker's URL, default http://localhost:8080
      --help    this text""";

  /** Lines sent in one request at most, and bytes of them (the broker takes 1000 and 4 MiB). */
  static final int BATCH_MESSAGES = 500;

  static final long BATCH_BYTES = 1 << 20;

  private LogQueueCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** What the command line asks for. */
  record Options(
      String command,
      String broker,
      List<String> topics,
      List<String> files,
      boolean topicColumn,
      boolean follow,
      long max) {}

  /** A command line that cannot be run: says why. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Runs a command; the exit status: 0 done, 1 refused or unreadable, 2 bad usage. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && List.of("--help", "-h", "help").contains(args[0])) {
      out.println(USAGE);
      return 0;
    }
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      err.println("logqueue-cli: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      return switch (options.command()) {
        case "produce" -> produce(options, out);
        default -> consume(options, out);
      };
    } catch (LogQueueException e) {
      err.println(
          "logqueue-cli: " + e.getMessage() + (e.error() != null ? " (" + e.error() + ")" : ""));
      return 1;
    } catch (NoSuchFileException e) {
      err.println("logqueue-cli: no such file: " + e.getFile());
      return 1;
    } catch (IOException e) {
      err.println("logqueue-cli: cannot read: " + e.getMessage());
      return 1;
    }
  }

  static Options parse(String[] args) throws UsageException {
    if (args.length == 0) {
      throw new UsageException("no command");
    }
    String command = args[0];
    if (!command.equals("produce") && !command.equals("consume")) {
      throw new UsageException("unknown command " + command);
    }
    String broker = "http://localhost:8080";
    List<String> topics = new ArrayList<>();
    List<String> files = new ArrayList<>();
    boolean topicColumn = false;
    boolean follow = false;
    long max = Long.MAX_VALUE;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--broker" -> broker = value(args, ++i, arg);
        case "--topic" -> topics.add(value(args, ++i, arg));
        case "--topic-column" -> topicColumn = true;
        case "--follow" -> follow = true;
        case "--max" -> max = positive(value(args, ++i, arg));
        case "--help", "-h" -> throw new UsageException("--help goes alone");
        default -> {
          if (arg.startsWith("--") || (arg.startsWith("-") && arg.length() > 1)) {
            throw new UsageException("unknown option " + arg);
          }
          files.add(arg);
        }
      }
    }
    if (command.equals("produce")) {
      if (files.isEmpty()) {
        throw new UsageException("produce needs a FILE (- for standard input)");
      }
      if (topicColumn != topics.isEmpty() || topics.size() > 1) {
        throw new UsageException("produce takes one --topic, or --topic-column");
      }
      if (follow || max != Long.MAX_VALUE) {
        throw new UsageException("--follow and --max are for consume");
      }
    } else {
      if (topics.isEmpty()) {
        throw new UsageException("consume needs a --topic");
      }
      if (!files.isEmpty() || topicColumn) {
        throw new UsageException("consume takes no FILE and no --topic-column");
      }
    }
    return new Options(command, broker, topics, files, topicColumn, follow, max);
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException("option " + option + " needs a value");
    }
    return args[i];
  }

  private static long positive(String text) throws UsageException {
    try {
      long value = Long.parseLong(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException("--max takes a positive whole number, not " + text);
  }

  private static int produce(Options options, PrintStream out) throws IOException {
    for (String file : options.files()) {
      if (!file.equals("-") && !Files.isRegularFile(Path.of(file))) {
        throw new NoSuchFileException(file);
      }
    }
    long sent;
    try (Producer producer = Producer.builder(options.broker()).topics(options.topics()).build()) {
      Batches batches = new Batches(producer);
      for (String file : options.files()) {
        try (BufferedReader lines = open(file)) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isBlank()) {
              batches.add(options.topicColumn() ? lastColumn(line) : options.topics().get(0), line);
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

  private static int consume(Options options, PrintStream out) {
    try (Consumer consumer = Consumer.builder(options.broker()).topics(options.topics()).build()) {
      Runtime.getRuntime().addShutdownHook(new Thread(consumer::stop));
      // --follow waits for messages until stopped; otherwise it stops once every topic is read
      Duration wait = options.follow() ? Duration.ofSeconds(1) : Duration.ZERO;
      for (long left = options.max(); left > 0 && !consumer.isStopped(); ) {
        // never more than asked for: what a consume answers is taken
        List<Message> batch = consumer.pollBatch(wait, (int) Math.min(left, 1000));
        if (batch.isEmpty() && !options.follow()) {
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
