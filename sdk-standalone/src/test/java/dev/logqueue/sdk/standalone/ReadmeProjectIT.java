package dev.logqueue.sdk.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Layout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's plain-main() project, built and run exactly as a new user would: its pom.xml and
 * Main.java taken from the README, `mvn compile exec:exec` in a folder of its own, with a fresh
 * local repository that holds the SDK as `mvn install` puts it there. The program must print its
 * lines and its JVM must exit right after the last one: nothing of the SDK may keep it alive.
 */
class ReadmeProjectIT {

  /** A program that ends when main() returns exits in well under this after its last line. */
  private static final Duration EXIT_AFTER_LAST_LINE = Duration.ofSeconds(5);

  private static final Pattern QUICKSTART_FILE =
      Pattern.compile("<!-- quickstart: (\\S+) -->\\s*```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

  private static final Pattern ANSI_STYLE = Pattern.compile("\u001B\\[[;\\d]*m");

  record Line(long nanos, String text) {}

  @Test
  void theReadmeProjectBuildsRunsAndExitsRightAfterItsLastLine() throws Exception {
    Path project = Layout.scratch("readme-project");
    List<String> written = writeQuickstart(project);
    assertEquals(List.of("pom.xml", "src/main/java/Main.java"), written, "the README's files");
    Path repository = localRepository();

    try (Broker broker = Broker.on(Database.h2()).start()) {
      List<String> command =
          List.of(
              "mvn",
              "-B",
              "-Dstyle.color=never",
              "-q",
              "-s",
              repository.resolveSibling("settings.xml").toString(),
              "-Dmaven.repo.local=" + repository,
              "compile",
              "exec:exec");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(project.toFile())
              .redirectError(project.resolve("mvn-stderr.txt").toFile());
      builder.environment().put("LOGQUEUE_URL", broker.uri().toString());
      long started = System.nanoTime();
      Process process = builder.start();
      List<Line> lines = new ArrayList<>();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          String text = ANSI_STYLE.matcher(line).replaceAll(""); // Maven 3.8 resets colours
          if (!text.isEmpty()) {
            lines.add(new Line(System.nanoTime(), text));
          }
        }
      }
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the README's program did not exit: " + lines);
      }
      long exited = System.nanoTime();
      assertEquals(
          0, process.exitValue(), () -> lines + "\n" + read(project.resolve("mvn-stderr.txt")));
      assertEquals(
          List.of("logs: INFO service started", "logs: DEBUG cache warmed"),
          lines.stream().map(Line::text).toList());
      Duration lingered = Duration.ofNanos(exited - lines.get(lines.size() - 1).nanos());
      System.getLogger(ReadmeProjectIT.class.getName())
          .log(
              System.Logger.Level.INFO,
              "README project: built and ran in {0} ms, exited {1} ms after its last line",
              Duration.ofNanos(exited - started).toMillis(),
              lingered.toMillis());
      assertTrue(
          lingered.compareTo(EXIT_AFTER_LAST_LINE) < 0,
          "the JVM exited " + lingered.toMillis() + " ms after the program's last line");
    }
  }

  /** Writes the README's quickstart files under the project folder; their paths, in order. */
  private static List<String> writeQuickstart(Path project) throws IOException {
    String readme = Files.readString(Layout.root().resolve("README.md"), StandardCharsets.UTF_8);
    Matcher file = QUICKSTART_FILE.matcher(readme);
    List<String> paths = new ArrayList<>();
    while (file.find()) {
      Path target = project.resolve(file.group(1));
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.group(2) + "\n", StandardCharsets.UTF_8);
      paths.add(file.group(1));
    }
    return paths;
  }

  /**
   * A local repository of its own, holding the SDK as `mvn install -DskipTests` would put it there
   * (this build's artifacts); everything else comes from the build's own local repository (as a
   * repository on disk, so nothing is downloaded twice), then Maven Central.
   */
  private static Path localRepository() throws IOException {
    Path repository = Layout.scratch("readme-repository").resolve("repository");
    Path root = Layout.root();
    String version = System.getProperty("logqueue.version");
    install(repository, "logqueue-parent", version, root.resolve("pom.xml"), null);
    install(
        repository,
        "logqueue-sdk",
        version,
        root.resolve("sdk/pom.xml"),
        root.resolve("sdk/target/logqueue-sdk-" + version + ".jar"));
    install(
        repository,
        "logqueue-sdk-standalone",
        version,
        root.resolve("sdk-standalone/pom.xml"),
        root.resolve("sdk-standalone/target/logqueue-sdk-standalone-" + version + ".jar"));
    Path buildRepository = Path.of(System.getProperty("logqueue.m2"));
    Files.writeString(
        repository.resolveSibling("settings.xml"),
        """
        <settings>
          <profiles>
            <profile>
              <id>build-repository</id>
              <repositories>
                <repository><id>build-repository</id><url>%1$s</url></repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository><id>build-repository</id><url>%1$s</url></pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>build-repository</activeProfile></activeProfiles>
        </settings>
        """
            .formatted(buildRepository.toUri()),
        StandardCharsets.UTF_8);
    return repository;
  }

  private static void install(Path repository, String artifact, String version, Path pom, Path jar)
      throws IOException {
    Path folder = repository.resolve("dev/logqueue").resolve(artifact).resolve(version);
    Files.createDirectories(folder);
    Files.copy(pom, folder.resolve(artifact + "-" + version + ".pom"));
    if (jar != null) {
      Files.copy(jar, folder.resolve(artifact + "-" + version + ".jar"));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
