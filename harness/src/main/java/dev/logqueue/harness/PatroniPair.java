package dev.logqueue.harness;

import dev.logqueue.testkit.Ports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL under Patroni (Debian's {@code patroni} and {@code etcd-server}): one etcd on loopback
 * as the configuration store, two Patroni nodes with {@code synchronous_mode: true}, each running a
 * PostgreSQL 15 of Debian's binaries. Patroni elects the primary, keeps the other a synchronous
 * standby, promotes it when the primary's node dies (its leader key expires after {@code ttl}), and
 * makes a node that comes back a standby again ({@code pg_rewind}). The drill's recipe for
 * production, run for real.
 */
final class PatroniPair implements AutoCloseable {

  /** One node: its names, ports and folder, and its Patroni process while it runs. */
  static final class Node {
    final String name;
    final int postgresPort;
    final int restPort;
    final Path folder;
    Process patroni;

    Node(String name, Path folder) {
      this.name = name;
      this.folder = folder;
      this.postgresPort = Ports.free();
      this.restPort = Ports.free();
    }

    String address() {
      return "127.0.0.1:" + postgresPort;
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final List<Node> nodes = new ArrayList<>();
  private final Path folder;
  private final int etcdClient = Ports.free();
  private final int etcdPeer = Ports.free();
  private Process etcd;

  PatroniPair(Path folder) {
    this.folder = folder;
    nodes.add(new Node("node_a", folder.resolve("node_a")));
    nodes.add(new Node("node_b", folder.resolve("node_b")));
  }

  static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/patroni"))
        && Files.isExecutable(Path.of("/usr/bin/etcd"));
  }

  /**
   * Starts etcd, then node_a (it bootstraps the cluster), then node_b (it follows, synchronously).
   */
  void start() throws InterruptedException {
    PgServer.run("chmod", "755", folder.toString());
    PgServer.run("mkdir", "-p", folder.resolve("etcd").toString());
    etcd =
        start(
            List.of(
                "etcd",
                "--name",
                "drill",
                "--data-dir",
                folder.resolve("etcd").toString(),
                "--listen-client-urls",
                "http://127.0.0.1:" + etcdClient,
                "--advertise-client-urls",
                "http://127.0.0.1:" + etcdClient,
                "--listen-peer-urls",
                "http://127.0.0.1:" + etcdPeer,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + etcdPeer,
                "--initial-cluster",
                "drill=http://127.0.0.1:" + etcdPeer),
            folder.resolve("etcd.log"));
    for (Node node : nodes) {
      PgServer.run("mkdir", "-p", node.folder.toString());
      PgServer.run("chown", "postgres:postgres", node.folder.toString());
      PgServer.run("chmod", "700", node.folder.toString());
      write(node.folder.resolve("patroni.yml"), config(node));
    }
    startNode(nodes.get(0));
    await("node_a leads", Duration.ofSeconds(90), () -> role(nodes.get(0)).equals("primary"));
    startNode(nodes.get(1));
    await(
        "node_b follows synchronously",
        Duration.ofSeconds(120),
        () -> isSynchronousStandby(nodes.get(1)));
  }

  void startNode(Node node) {
    node.patroni =
        start(
            List.of(
                "runuser",
                "-u",
                "postgres",
                "--",
                "patroni",
                node.folder.resolve("patroni.yml").toString()),
            node.folder.resolveSibling(node.name + "-patroni.log"));
  }

  /** The node that is primary now, if any. */
  Node primary() {
    for (Node node : nodes) {
      if (role(node).equals("primary")) {
        return node;
      }
    }
    return null;
  }

  Node other(Node node) {
    return nodes.get(0) == node ? nodes.get(1) : nodes.get(0);
  }

  /** The node dies: Patroni and PostgreSQL, all at once (SIGKILL). */
  void kill(Node node) {
    // runuser starts Patroni as its child: the whole tree goes
    node.patroni.descendants().forEach(ProcessHandle::destroyForcibly);
    node.patroni.destroyForcibly();
    Path pidFile = node.folder.resolve("data/postmaster.pid");
    try {
      if (Files.exists(pidFile)) {
        String pid = Files.readAllLines(pidFile).get(0).trim();
        PgServer.run("sh", "-c", "kill -9 " + pid + " $(pgrep -P " + pid + ") 2>/dev/null; exit 0");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      node.patroni.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** primary, replica, or "" (down, or no answer). */
  String role(Node node) {
    if (status(node, "/primary") == 200) {
      return "primary";
    }
    return status(node, "/replica") == 200 ? "replica" : "";
  }

  boolean isSynchronousStandby(Node node) {
    return status(node, "/sync") == 200;
  }

  private int status(Node node, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.restPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  static void await(String what, Duration limit, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + limit + ": " + what);
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      if (node.patroni != null) {
        kill(node);
      }
    }
    if (etcd != null) {
      etcd.descendants().forEach(ProcessHandle::destroyForcibly);
      etcd.destroyForcibly();
    }
  }

  private String config(Node node) {
    return String.join(
        "\n",
        "scope: logqueue-drill",
        "name: " + node.name,
        "restapi:",
        "  listen: 127.0.0.1:" + node.restPort,
        "  connect_address: 127.0.0.1:" + node.restPort,
        "etcd3:",
        "  hosts: 127.0.0.1:" + etcdClient,
        "bootstrap:",
        "  dcs:",
        "    ttl: 12",
        "    loop_wait: 1",
        "    retry_timeout: 5",
        "    maximum_lag_on_failover: 1048576",
        "    synchronous_mode: true",
        "    postgresql:",
        "      use_pg_rewind: true",
        "      parameters:",
        "        wal_level: replica",
        "        hot_standby: 'on'",
        "        wal_log_hints: 'on'",
        "        max_wal_senders: 8",
        "        max_replication_slots: 8",
        "  initdb:",
        "    - encoding: UTF8",
        "  pg_hba:",
        "    - host replication postgres 127.0.0.1/32 trust",
        "    - host all all 127.0.0.1/32 trust",
        "postgresql:",
        "  listen: 127.0.0.1:" + node.postgresPort,
        "  connect_address: 127.0.0.1:" + node.postgresPort,
        "  data_dir: " + node.folder.resolve("data"),
        "  bin_dir: " + PgServer.BIN,
        "  pgpass: " + node.folder.resolve("pgpass"),
        "  authentication:",
        "    superuser: {username: postgres, password: postgres}",
        "    replication: {username: postgres, password: postgres}",
        "    rewind: {username: postgres, password: postgres}",
        "  parameters:",
        "    unix_socket_directories: '" + node.folder + "'",
        "");
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PgServer.run("chown", "postgres:postgres", file.toString());
  }

  private static Process start(List<String> command, Path log) {
    try {
      File out = log.toFile();
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
