package dev.logqueue.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built broker and its configuration are. The build sets {@code logqueue.root} (the
 * repository) and may set the others; they default to the repository's own build output.
 */
public final class Layout {

  private Layout() {}

  public static Path root() {
    String root = System.getProperty("logqueue.root");
    Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    while (path != null && !Files.exists(path.resolve("payara-config/run.sh"))) {
      path = path.getParent();
    }
    if (path == null) {
      throw new IllegalStateException("Cannot find the repository: set -Dlogqueue.root");
    }
    return path;
  }

  public static Path config() {
    return root().resolve("payara-config");
  }

  public static Path war() {
    return property("logqueue.war", root().resolve("broker-war/target/logqueue.war"));
  }

  public static Path runtime() {
    return property("logqueue.runtime", root().resolve("broker-war/target/runtime"));
  }

  /** A folder for a test's files under the build's output. */
  public static Path scratch(String name) {
    try {
      String configured = System.getProperty("logqueue.scratch");
      Path base = configured != null ? Path.of(configured) : root().resolve("target/scratch");
      Files.createDirectories(base);
      return Files.createTempDirectory(base, name + "-");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path property(String name, Path fallback) {
    String value = System.getProperty(name);
    Path path = value != null ? Path.of(value) : fallback;
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " does not exist: build first (mvn package)");
    }
    return path;
  }
}
