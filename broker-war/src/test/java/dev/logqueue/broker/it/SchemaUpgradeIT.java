package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database of the first release (schema version 1, which that release created itself, without
 * Flyway's history) is upgraded in place at the first start: everything in it is still there and
 * goes on, and the new columns work.
 */
class SchemaUpgradeIT {

  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void aDatabaseOfTheFirstReleaseIsUpgradedInPlace() throws Exception {
    Database database = Database.forSuite();
    Path data = Files.createTempDirectory("logqueue-upgrade-");
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(data), database.user(), database.password());
        Statement sql = connection.createStatement()) {
      for (String statement : firstReleaseSchema()) {
        sql.execute(statement);
      }
      sql.execute("INSERT INTO lq_topic (id, name) VALUES (1, 'old'), (2, 'empty')");
      sql.execute("INSERT INTO lq_producer (id, topic_id) VALUES (1, 1), (2, 2)");
      sql.execute(
          "INSERT INTO lq_consumer (id, topic_id, next_offset) VALUES (1, 1, 1), (2, 1, 0)");
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO lq_message (topic_id, log_offset, producer_id, payload)"
                  + " VALUES (1, ?, 1, ?)")) {
        for (int offset = 0; offset < 3; offset++) {
          insert.setLong(1, offset);
          insert.setBytes(2, ("m-" + offset).getBytes(StandardCharsets.UTF_8));
          insert.executeUpdate();
        }
      }
    }

    broker = Broker.on(database).dataDirectory(data).start();
    Wire wire = new Wire(broker.uri());
    assertEquals(List.of("old", "empty"), wire.topics());
    assertEquals(2, wire.size("old", 1));
    assertEquals(3, wire.size("old", 2));
    assertEquals(Optional.of("m-1"), wire.consume("old", 1), "the offset was kept");
    assertEquals(List.of("m-0", "m-1", "m-2"), wire.consume("old", 2, 10));
    Reply appended =
        wire.http()
            .post(
                "producer/produce",
                Http.json("topic", "old", "producer_id", 1, "message", "m-3", "message_id", "x"));
    assertEquals(3, appended.json().getInt("offset"), appended::toString);
    assertEquals(3, wire.registerProducer("old"), "ids go on");
    assertEquals(3, wire.registerConsumer("old"));

    broker.stop();
    assertEquals(
        List.of("1", "2", "3", "4", "5", "6", "7", "8"),
        appliedVersions(database, data),
        "baselined at 1");
    broker.start(); // an upgraded database starts like any other
    wire = new Wire(broker.uri());
    Reply retried =
        wire.http()
            .post(
                "producer/produce",
                Http.json("topic", "old", "producer_id", 1, "message", "m-3", "message_id", "x"));
    assertTrue(retried.json().getBoolean("duplicate"), retried::toString);
    assertEquals(List.of("m-2", "m-3"), wire.consume("old", 1, 10));
    JsonObject old = wire.http().get("topics/old").json().getJsonObject("topic");
    assertEquals(4, old.getInt("messages"), old::toString);
    assertEquals(12, old.getInt("bytes"), "the positions of the old messages were computed");
    assertEquals(0, old.getInt("start_offset"));
    assertEquals(1, old.getInt("partitions"), "a topic of before partitions has one");
  }

  /** What Flyway recorded: version 1 as the baseline, then the versions it applied. */
  private static List<String> appliedVersions(Database database, Path data) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(data), database.user(), database.password());
        Statement sql = connection.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT \"version\" FROM \"lq_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL"
                    + " ORDER BY \"installed_rank\"")) {
      List<String> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
      return versions;
    }
  }

  /** The first release's schema: version 1 of the migrations is that script, unchanged. */
  private static List<String> firstReleaseSchema() throws IOException {
    try (InputStream in =
        SchemaUpgradeIT.class.getClassLoader().getResourceAsStream("db/migration/V1__queue.sql")) {
      String script =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(line -> !line.strip().startsWith("--"))
              .reduce("", (a, b) -> a + "\n" + b);
      List<String> statements = new ArrayList<>();
      for (String statement : script.split(";")) {
        if (!statement.isBlank()) {
          statements.add(statement.strip());
        }
      }
      return statements;
    }
  }
}
