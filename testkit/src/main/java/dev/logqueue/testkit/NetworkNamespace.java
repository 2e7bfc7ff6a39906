package dev.logqueue.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace the test makes for itself (root only): a "host" of its own, reached from this
 * machine over a veth pair in a /24 of 10.199.0.0/16 that nothing else uses. What runs in it binds
 * to its addresses only (its loopback and its end of the pair), whatever address it asks for.
 */
public final class NetworkNamespace implements AutoCloseable {

  private final String name;
  private final int subnet;
  private final int host;

  private NetworkNamespace(String name, int subnet, int host) {
    this.name = name;
    this.subnet = subnet;
    this.host = host;
  }

  /**
   * Creates namespace {@code lq-<name>} with address 10.199.{@code subnet}.2, this machine's end
   * being .1.
   */
  public static NetworkNamespace create(String name, int subnet) {
    if (subnet < 1 || subnet > 254) {
      throw new IllegalArgumentException("subnet 1 to 254");
    }
    NetworkNamespace namespace = new NetworkNamespace("lq-" + name, subnet, 2);
    namespace.cleanUp(); // a run killed before its close
    namespace.plug();
    run("ip", "addr", "add", "10.199." + subnet + ".1/24", "dev", namespace.hostEnd());
    run("ip", "link", "set", namespace.hostEnd(), "up");
    namespace.configureInside();
    return namespace;
  }

  /**
   * Makes bridge {@code lqb<subnet>} with this machine's address 10.199.{@code subnet}.1: the
   * segment that namespaces {@link #onBridge attached} to it share, like hosts on one switch.
   */
  public static AutoCloseable bridge(int subnet) {
    String bridge = "lqb" + subnet;
    tryRun("ip", "link", "del", bridge);
    run("ip", "link", "add", bridge, "type", "bridge");
    run("ip", "addr", "add", "10.199." + subnet + ".1/24", "dev", bridge);
    run("ip", "link", "set", bridge, "up");
    return () -> tryRun("ip", "link", "del", bridge);
  }

  /**
   * Creates namespace {@code lq-<name>} with address 10.199.{@code subnet}.{@code host} on the
   * {@link #bridge} of that subnet: it reaches this machine (.1) and every other namespace there.
   */
  public static NetworkNamespace onBridge(String name, int subnet, int host) {
    if (host < 2 || host > 254) {
      throw new IllegalArgumentException("host 2 to 254");
    }
    NetworkNamespace namespace = new NetworkNamespace("lq-" + name, subnet, host);
    namespace.cleanUp();
    namespace.plug();
    run("ip", "link", "set", namespace.hostEnd(), "master", "lqb" + subnet);
    run("ip", "link", "set", namespace.hostEnd(), "up");
    namespace.configureInside();
    return namespace;
  }

  private void plug() {
    run("ip", "netns", "add", name);
    run("ip", "link", "add", hostEnd(), "type", "veth", "peer", "name", insideEnd());
    run("ip", "link", "set", insideEnd(), "netns", name);
  }

  private void configureInside() {
    run("ip", "-n", name, "addr", "add", address() + "/24", "dev", insideEnd());
    run("ip", "-n", name, "link", "set", insideEnd(), "up");
    run("ip", "-n", name, "link", "set", "lo", "up");
  }

  private String hostEnd() {
    return host == 2 ? "lqh" + subnet : "lqh" + subnet + "x" + host;
  }

  private String insideEnd() {
    return host == 2 ? "lqn" + subnet : "lqn" + subnet + "x" + host;
  }

  /**
   * Cuts the namespace off (its end of the link down): what runs in it keeps running, and nothing
   * it sends or is sent gets through, until {@link #heal}.
   */
  public void cut() {
    run("ip", "-n", name, "link", "set", insideEnd(), "down");
  }

  /** Brings the link up again after {@link #cut}. */
  public void heal() {
    run("ip", "-n", name, "link", "set", insideEnd(), "up");
  }

  /** The namespace's address on the pair (or on the bridge). */
  public String address() {
    return "10.199." + subnet + "." + host;
  }

  /** This machine's address on the pair. */
  public String hostAddress() {
    return "10.199." + subnet + ".1";
  }

  /** {@code command} as a command that runs it inside the namespace. */
  public List<String> wrap(List<String> command) {
    List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
    inside.addAll(command);
    return inside;
  }

  /** A command run inside the namespace, with its output going to {@code log}. */
  public Process start(List<String> command, File log) {
    List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
    inside.addAll(command);
    try {
      return new ProcessBuilder(inside).redirectErrorStream(true).redirectOutput(log).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command inside the namespace to its end; its output. */
  public String exec(String... command) {
    List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
    inside.addAll(List.of(command));
    return run(inside.toArray(String[]::new));
  }

  @Override
  public void close() {
    cleanUp();
  }

  private void cleanUp() {
    tryRun("ip", "netns", "del", name);
    tryRun("ip", "link", "del", hostEnd());
  }

  private static void tryRun(String... command) {
    try {
      run(command);
    } catch (IllegalStateException e) {
      // not there
    }
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed"
                + (process.isAlive() ? " (still running)" : " (exit " + process.exitValue() + ")")
                + (output.contains("Operation not permitted") ? " (needs root)" : "")
                + ": "
                + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
