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

  private NetworkNamespace(String name, int subnet) {
    this.name = name;
    this.subnet = subnet;
  }

  /**
   * Creates namespace {@code lq-<name>} with address 10.199.{@code subnet}.2, this machine's end
   * being .1.
   */
  public static NetworkNamespace create(String name, int subnet) {
    if (subnet < 1 || subnet > 254) {
      throw new IllegalArgumentException("subnet 1 to 254");
    }
    NetworkNamespace namespace = new NetworkNamespace("lq-" + name, subnet);
    namespace.cleanUp(); // a run killed before its close
    String host = "lqh" + subnet;
    String inside = "lqn" + subnet;
    run("ip", "netns", "add", namespace.name);
    run("ip", "link", "add", host, "type", "veth", "peer", "name", inside);
    run("ip", "link", "set", inside, "netns", namespace.name);
    run("ip", "addr", "add", "10.199." + subnet + ".1/24", "dev", host);
    run("ip", "link", "set", host, "up");
    run("ip", "-n", namespace.name, "addr", "add", namespace.address() + "/24", "dev", inside);
    run("ip", "-n", namespace.name, "link", "set", inside, "up");
    run("ip", "-n", namespace.name, "link", "set", "lo", "up");
    return namespace;
  }

  /** The namespace's address on the pair. */
  public String address() {
    return "10.199." + subnet + ".2";
  }

  /** This machine's address on the pair. */
  public String hostAddress() {
    return "10.199." + subnet + ".1";
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
    tryRun("ip", "link", "del", "lqh" + subnet);
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
