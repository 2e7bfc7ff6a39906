package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.NetworkNamespace;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bare WAR on a stock Payara Micro, started as a new user would ({@code java -jar
 * payara-micro.jar --deploy logqueue.war --contextroot / --rootdir DIR}: no command files, Payara's
 * own H2 pool and listener on every interface), in a network namespace of its own so that what it
 * opens is reachable from this machine only. The broker must keep its promises there or say plainly
 * why not: messages acknowledged survive a kill -9 the next instant; a connection from another
 * machine gets nothing without authentication; readiness says what a stock server lacks.
 */
class StockPayaraIT {

  private static final System.Logger LOG = System.getLogger(StockPayaraIT.class.getName());

  @Test
  void theBareWarOnAStockPayaraKeepsItsPromisesOrSaysWhy() throws Exception {
    Path folder = Layout.scratch("stock-payara");
    Path rootdir = folder.resolve("payara");
    List<String> command =
        List.of(
            "java",
            "-Xmx384m",
            "-Djava.io.tmpdir=" + folder,
            "-jar",
            Layout.runtime().resolve("payara-micro.jar").toString(),
            "--deploy",
            Layout.war().toString(),
            "--contextroot",
            "/",
            "--rootdir",
            rootdir.toString());
    try (NetworkNamespace host = NetworkNamespace.create("stock", 91)) {
      URI outside = URI.create("http://" + host.address() + ":8080/");
      Http remote = new Http(outside);
      Process payara = host.start(command, folder.resolve("payara-1.log").toFile());
      try {
        awaitReady(remote, payara, folder.resolve("payara-1.log"));

        // another machine, no authentication configured: nothing
        Reply refused = remote.get("topics");
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("forbidden", refused.error());
        assertTrue(refused.json().getString("message").contains("loopback"), refused::toString);

        // readiness says what the stock server lacks: GET with a body, an H2 TCP server
        String readiness = remote.get("health/ready").text();
        LOG.log(System.Logger.Level.INFO, "Stock Payara readiness: {0}", readiness);
        assertTrue(readiness.contains("get_with_body"), readiness);

        // on the machine itself: acknowledged messages survive a kill -9 the next instant
        local(host, "POST", "topics", "{\"name\":\"stock\"}");
        long producer =
            local(host, "POST", "producer/register", "{\"topic\":\"stock\"}")
                .getJsonNumber("producer_id")
                .longValue();
        long consumer =
            local(host, "POST", "consumer/register", "{\"topic\":\"stock\"}")
                .getJsonNumber("consumer_id")
                .longValue();
        for (String message : List.of("one", "two", "three")) {
          local(
              host,
              "POST",
              "producer/produce",
              "{\"topic\":\"stock\",\"producer_id\":"
                  + producer
                  + ",\"message\":\""
                  + message
                  + "\"}");
        }
        assertEquals(
            "one",
            local(
                    host,
                    "POST",
                    "consumer/consume",
                    "{\"topic\":\"stock\",\"consumer_id\":" + consumer + "}")
                .getString("message"));
        List<Listeners.Listener> listening = Listeners.of(payara.pid());
        payara.destroyForcibly(); // SIGKILL, right after the last answer
        assertTrue(payara.waitFor(30, TimeUnit.SECONDS));

        LOG.log(System.Logger.Level.INFO, "A stock Payara Micro listens on: {0}", listening);
        assertTrue(
            listening.stream().anyMatch(l -> l.port() == 8080 && !l.address().startsWith("127.")),
            "its HTTP listener is on every interface: " + listening);
        if (readiness.contains("over TCP")) {
          String port = readiness.replaceAll(".*over TCP at [^:]*:(\\d+).*", "$1");
          assertTrue(
              listening.stream().anyMatch(l -> Integer.toString(l.port()).equals(port)),
              "the H2 server readiness reports is the one listening: " + listening);
        }

        payara = host.start(command, folder.resolve("payara-2.log").toFile());
        awaitReady(remote, payara, folder.resolve("payara-2.log"));
        assertEquals(
            "two",
            local(
                    host,
                    "POST",
                    "consumer/consume",
                    "{\"topic\":\"stock\",\"consumer_id\":" + consumer + "}")
                .getString("message"),
            "the consume was committed");
        assertEquals(
            "three",
            local(
                    host,
                    "POST",
                    "consumer/consume",
                    "{\"topic\":\"stock\",\"consumer_id\":" + consumer + "}")
                .getString("message"),
            "every acknowledged message is there");
      } catch (IllegalStateException | AssertionError failed) {
        Path last =
            Files.exists(folder.resolve("payara-2.log"))
                ? folder.resolve("payara-2.log")
                : folder.resolve("payara-1.log");
        throw new AssertionError(failed.getMessage() + "\n" + last + ":\n" + tail(last), failed);
      } finally {
        payara.destroyForcibly();
        payara.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** A request made on the namespace's own loopback, as a client on that machine would. */
  private static JsonObject local(NetworkNamespace host, String method, String path, String body) {
    String answer =
        host.exec(
            "curl",
            "-sS",
            "--max-time",
            "30",
            "-X",
            method,
            "-H",
            "Content-Type: application/json",
            "-d",
            body,
            "http://127.0.0.1:8080/" + path);
    JsonObject json = Json.createReader(new StringReader(answer)).readObject();
    assertEquals(
        "success", json.getString("status"), method + " " + path + " " + body + ": " + answer);
    return json;
  }

  private static void awaitReady(Http remote, Process payara, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      if (!payara.isAlive()) {
        throw new AssertionError("Payara exited:\n" + tail(log));
      }
      try {
        // Payara's own "ready" line too: restarted on the same --rootdir, Payara deploys the WAR
        // the root directory remembers, then again for --deploy; readiness is UP in between
        if (remote.get("health/ready").status() == 200 && booted(log)) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not ready in 4 minutes:\n" + tail(log));
  }

  private static boolean booted(Path log) {
    try {
      return Files.readString(log).matches("(?s).*Payara Micro [^\\n]* ready in .*");
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
