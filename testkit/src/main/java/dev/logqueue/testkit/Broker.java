package dev.logqueue.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A broker in its own process, started the way users start it ({@code payara-config/run.sh}) on its
 * own data directory and port. It can be stopped, killed with SIGKILL, and started again on the
 * same data.
 */
public final class Broker implements AutoCloseable {

  /** JVM options for test brokers: small heap, quick start. */
  public static final String TEST_JAVA_OPTIONS =
      "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  /** Brokers still running when the test JVM exits are killed, not left behind. */
  private static final Set<Broker> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(broker -> broker.process.destroyForcibly())));
  }

  private final Database database;
  private final Path dataDirectory;
  private final int port;
  private final Map<String, String> settings;
  private final String javaOptions;
  private final List<Path> deployments;
  private final TlsFiles tls;
  private final NetworkNamespace namespace;
  private Process process;
  private int starts;

  private Broker(
      Database database,
      Path dataDirectory,
      int port,
      Map<String, String> settings,
      String javaOptions,
      List<Path> deployments,
      TlsFiles tls,
      NetworkNamespace namespace) {
    this.namespace = namespace;
    this.deployments = deployments;
    this.tls = tls;
    this.database = database;
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.settings = settings;
    this.javaOptions = javaOptions;
  }

  public static Builder on(Database database) {
    return new Builder(database);
  }

  /** Builds a broker's configuration; {@link #start()} runs it. */
  public static final class Builder {
    private final Database database;
    private final Map<String, String> settings = new HashMap<>();
    private Path dataDirectory;
    private int port;
    private String javaOptions = TEST_JAVA_OPTIONS;
    private final List<Path> deployments = new java.util.ArrayList<>();
    private TlsFiles tls;
    private NetworkNamespace namespace;

    private Builder(Database database) {
      this.database = database;
    }

    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** HTTPS only, with this key and certificate (the suite's {@link Security} does it for all). */
    public Builder tls(TlsFiles tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Runs the broker inside this network namespace, listening on its address (without
     * authentication: the namespace's network is the test's own).
     */
    public Builder inside(NetworkNamespace namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Broker settings as environment variables. */
    public Builder settings(Map<String, String> variables) {
      settings.putAll(variables);
      return this;
    }

    /** A broker setting as its environment variable, e.g. LOGQUEUE_WINDOW_MESSAGES. */
    public Builder setting(String variable, Object value) {
      settings.put(variable, String.valueOf(value));
      return this;
    }

    /** Another WAR to deploy beside the broker, at the context root of its file name. */
    public Builder deploy(Path war) {
      deployments.add(war);
      return this;
    }

    public Builder javaOptions(String javaOptions) {
      this.javaOptions = javaOptions;
      return this;
    }

    /** Starts the broker and waits until it is ready. */
    public Broker start() {
      return launch().awaitReady();
    }

    /** Starts the broker's process and returns at once, before it is ready. */
    public Broker launch() {
      Broker broker =
          new Broker(
              database,
              dataDirectory != null ? dataDirectory : Layout.scratch("broker-" + database.kind()),
              port > 0 ? port : Ports.free(),
              Map.copyOf(settings),
              javaOptions,
              List.copyOf(deployments),
              tls,
              namespace);
      broker.launch();
      return broker;
    }
  }

  /** Starts the broker (again, after a stop or a kill) and waits until it is ready. */
  public Broker start() {
    return launch().awaitReady();
  }

  /** Starts the broker's process (again, after a stop or a kill) and returns at once. */
  public synchronized Broker launch() {
    if (isAlive()) {
      throw new IllegalStateException("The broker runs already");
    }
    starts++;
    try {
      Path tmp = Files.createDirectories(dataDirectory.resolve("tmp"));
      List<String> command =
          new java.util.ArrayList<>(List.of("sh", Layout.config().resolve("run.sh").toString()));
      for (Path war : deployments) {
        command.add("--deploy");
        command.add(war.toString());
      }
      if (namespace != null) {
        command = namespace.wrap(command);
      }
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile());
      Map<String, String> env = builder.environment();
      env.putAll(database.environment());
      Security security = Security.get();
      if (security != null) {
        env.putAll(security.brokerSettings(port));
      }
      if (tls != null) {
        env.putAll(tls.brokerSettings(port));
      }
      env.putAll(settings);
      env.put("LOGQUEUE_WAR", Layout.war().toString());
      env.put("LOGQUEUE_MICRO_JAR", Layout.runtime().resolve("payara-micro.jar").toString());
      env.put("LOGQUEUE_POSTGRESQL_JAR", Layout.runtime().resolve("postgresql.jar").toString());
      env.put("LOGQUEUE_HOST", host());
      if (namespace != null) {
        env.putIfAbsent("LOGQUEUE_AUTH", "none");
      }
      env.put("LOGQUEUE_PORT", Integer.toString(port));
      env.put("LOGQUEUE_DATA_DIR", dataDirectory.toString());
      env.put("LOGQUEUE_JAVA_OPTS", javaOptions + " -Djava.io.tmpdir=" + tmp);
      process = builder.start();
      RUNNING.add(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Waits until the broker is ready. Its listener opens only once every application is deployed
   * (payara-config/post-deploy.asadmin), so a ready broker serves its other WARs too.
   */
  public Broker awaitReady() {
    Http http = tls == null ? new Http(uri()) : new Http(uri()).trusting(tls);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "The broker exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (http.send("GET", "/health/ready", null, null, Duration.ofSeconds(5)).status() == 200) {
          return this;
        }
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      sleep(200);
    }
    throw new IllegalStateException(
        "The broker was not ready in " + READY_TIMEOUT + ":\n" + logTail());
  }

  /** Its address: https:// when the suite runs with security ({@link Security}). */
  public URI uri() {
    boolean https = Security.enabled() || tls != null;
    return URI.create((https ? "https" : "http") + "://" + host() + ":" + port + "/");
  }

  /** The address it listens on: its namespace's, or loopback. */
  public String host() {
    return namespace != null ? namespace.address() : "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The console output of the current (or last) run. */
  public Path log() {
    return dataDirectory.resolve("broker-" + starts + ".log");
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL: the process gets no chance to flush or close anything. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(30));
      RUNNING.remove(this);
    }
  }

  /** SIGTERM, and SIGKILL if it has not exited after 30 s. */
  public synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!waitFor(Duration.ofSeconds(30))) {
        kill();
      }
      RUNNING.remove(this);
    }
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
