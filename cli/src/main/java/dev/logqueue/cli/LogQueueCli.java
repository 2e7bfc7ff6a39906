package dev.logqueue.cli;

import dev.logqueue.cli.CommandLine.Spec;
import dev.logqueue.sdk.BrokerUnavailableException;
import dev.logqueue.sdk.LogQueueException;
import dev.logqueue.sdk.Producer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The operator's command line, on the LogQueue SDK; {@link #USAGE} says how to call it. Exit
 * status: 0 done, 1 the broker refused (its error code is printed) or a file could not be read, 2
 * bad usage, 3 the broker could not be reached.
 */
public final class LogQueueCli {

  static final String USAGE =
      """
      usage: logqueue-cli COMMAND [ARGUMENTS] [--broker URL] [--token T] [--truststore F]

      Look:
        topics [--json]                      every topic: messages, bytes, oldest, retention,
                                             producers, consumers, largest lag
        topic NAME [--json]                  a topic's range, size, retention and its consumers
        consumers TOPIC [--json]             a topic's consumers, the furthest behind first
        tail [-n N] [-f] [--json] TOPIC      the last N messages (10); -f: then each new one,
                                             until Ctrl-C, through a temporary consumer
      Change:
        create TOPIC [--retention 7d] [--retention-bytes 10GB]
                                             a topic (without them: the broker's defaults)
        retention TOPIC [--retention D] [--retention-bytes B]
                                             change what it keeps (0: no limit, default: the
                                             broker's); what is not given stays
        delete TOPIC                         a topic, its messages, producers and consumers
        delete-consumer TOPIC ID             one consumer of a topic
      Messages:
        produce --topic T FILE...            each line of the files to T (FILE - is standard input)
        produce --topic-column FILE...       each line to the topic in its last tab-separated column
        consume --topic T [--topic T2]... [--follow] [--max N]
                                             every message as "topic<TAB>message", in order per
                                             topic, as a new consumer; --follow waits for more

      Tokens (when the broker asks for them):
        token keys --out DIR                 an RSA key pair: DIR/private.pem signs, DIR/public.pem
                                             is the broker's MP_JWT_VERIFY_PUBLICKEY_LOCATION
        token create --key DIR/private.pem --sub NAME --role admin|producer|consumer
                     [--topics 'orders,logs.*'] [--consumers NAME,..] [--ttl 30d] [--issuer logqueue]
                                             prints a signed token

      --broker URL   the broker, default $LOGQUEUE_URL or http://localhost:8080
      --token T      a bearer token, default $LOGQUEUE_TOKEN
      --truststore F certificates to trust for https (PKCS12), default $LOGQUEUE_TRUSTSTORE; its
                     password in $LOGQUEUE_TRUSTSTORE_PASSWORD
      --json         for scripts: the broker's JSON (tail: one object per line)
      Durations: 500ms 30s 15m 12h 7d 2w; sizes: 1048576 512MiB 10GB.
      Exit status: 0 done, 1 refused by the broker (its error code is printed) or a file unreadable,
      2 bad usage, 3 the broker unreachable.""";

  private static final Set<String> JSON = Set.of("--json");

  static final Map<String, Spec> COMMANDS =
      Map.ofEntries(
          Map.entry("topics", new Spec(0, 0, Set.of(), JSON)),
          Map.entry("topic", new Spec(1, 1, Set.of(), JSON)),
          Map.entry("consumers", new Spec(1, 1, Set.of(), JSON)),
          Map.entry("tail", new Spec(1, 1, Set.of("--lines"), Set.of("--follow", "--json"))),
          Map.entry("create", new Spec(1, 1, Set.of("--retention", "--retention-bytes"), Set.of())),
          Map.entry(
              "retention", new Spec(1, 1, Set.of("--retention", "--retention-bytes"), Set.of())),
          Map.entry("delete", new Spec(1, 1, Set.of(), Set.of())),
          Map.entry("delete-consumer", new Spec(2, 2, Set.of(), Set.of())),
          Map.entry(
              "produce",
              new Spec(1, Integer.MAX_VALUE, Set.of("--topic"), Set.of("--topic-column"))),
          Map.entry("consume", new Spec(0, 0, Set.of("--topic", "--max"), Set.of("--follow"))),
          Map.entry(
              "token",
              new Spec(
                  1,
                  1,
                  Set.of(
                      "--out",
                      "--key",
                      "--sub",
                      "--role",
                      "--topics",
                      "--consumers",
                      "--ttl",
                      "--issuer"),
                  Set.of())));

  private LogQueueCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && List.of("--help", "-h", "help").contains(args[0])) {
      out.println(USAGE);
      return 0;
    }
    try {
      CommandLine line = CommandLine.parse(args, COMMANDS);
      return run(line, out);
    } catch (UsageException e) {
      err.println("logqueue-cli: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (BrokerUnavailableException e) {
      err.println("logqueue-cli: the broker cannot be reached: " + e.getMessage());
      return 3;
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

  private static int run(CommandLine line, PrintStream out) throws UsageException, IOException {
    Connection broker = Connection.of(line);
    switch (line.command()) {
      case "token" -> {
        token(line, new TokenTool(out));
        return 0;
      }
      case "produce" -> {
        List<String> topics = line.all("--topic");
        boolean column = line.flag("--topic-column");
        if (column != topics.isEmpty() || topics.size() > 1) {
          throw new UsageException("produce takes one --topic, or --topic-column");
        }
        return new Transfer(broker, out).produce(topics, line.arguments(), column);
      }
      case "consume" -> {
        if (line.all("--topic").isEmpty()) {
          throw new UsageException("consume needs a --topic");
        }
        long max = line.positive("--max").orElse(Long.MAX_VALUE);
        return new Transfer(broker, out).consume(line.all("--topic"), line.flag("--follow"), max);
      }
      default -> {
        // the topics' and consumers' commands: a client that registers nothing
        try (Producer client = broker.producer().build()) {
          admin(line, new Admin(client, out), client, broker, out);
        }
        return 0;
      }
    }
  }

  private static void admin(
      CommandLine line, Admin admin, Producer client, Connection broker, PrintStream out)
      throws UsageException {
    boolean json = line.flag("--json");
    switch (line.command()) {
      case "topics" -> admin.topics(json);
      case "topic" -> admin.topic(line.argument(0), json);
      case "consumers" -> admin.consumers(line.argument(0), json);
      case "tail" -> {
        long lines = line.option("--lines").isPresent() ? count(line) : 10;
        new Tail(broker, client, out, json)
            .run(line.argument(0), (int) lines, line.flag("--follow"));
      }
      case "create" -> admin.create(line.argument(0), Admin.retention(line));
      case "retention" -> admin.changeRetention(line.argument(0), line);
      case "delete" -> admin.delete(line.argument(0));
      case "delete-consumer" -> admin.deleteConsumer(line.argument(0), id(line.argument(1)));
      default -> throw new UsageException("unknown command " + line.command());
    }
  }

  /** token keys --out DIR; token create --key FILE --sub S --role R [--topics P,..] ... */
  private static void token(CommandLine line, TokenTool tool) throws UsageException, IOException {
    switch (line.argument(0)) {
      case "keys" -> tool.keys(Path.of(required(line, "--out")));
      case "create" -> {
        Path key = Path.of(required(line, "--key"));
        String subject = required(line, "--sub");
        List<String> roles = line.all("--role").stream().flatMap(LogQueueCli::split).toList();
        if (roles.isEmpty()) {
          throw new UsageException("token create needs a --role (admin, producer, consumer)");
        }
        tool.create(
            key,
            subject,
            roles,
            line.all("--topics").stream().flatMap(LogQueueCli::split).toList(),
            line.all("--consumers").stream().flatMap(LogQueueCli::split).toList(),
            Duration.ofMillis(Units.millis(line.option("--ttl").orElse("30d"))),
            line.option("--issuer").orElse("logqueue"));
      }
      default -> throw new UsageException("token keys, or token create, not " + line.argument(0));
    }
  }

  private static String required(CommandLine line, String option) throws UsageException {
    return line.option(option)
        .orElseThrow(
            () -> new UsageException(line.command() + " " + line.argument(0) + " needs " + option));
  }

  private static Stream<String> split(String list) {
    return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** -n: 0 to 1000 messages. */
  private static long count(CommandLine line) throws UsageException {
    String value = line.option("--lines").orElseThrow();
    try {
      long n = Long.parseLong(value);
      if (n >= 0 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException("-n takes 0 to 1000, not " + value);
  }

  private static long id(String text) throws UsageException {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException("a consumer id is a positive whole number, not " + text);
  }
}
