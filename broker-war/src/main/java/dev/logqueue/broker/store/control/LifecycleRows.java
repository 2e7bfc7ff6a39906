package dev.logqueue.broker.store.control;

import dev.logqueue.broker.queue.control.LogStore.DeletedTopic;
import dev.logqueue.broker.queue.control.LogStore.LastIds;
import dev.logqueue.broker.queue.entity.TopicId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the topics' lifecycle that no entity maps, by JDBC on the connection given (a
 * transaction's): the id marks ({@code lq_id_mark}), the deleted topics whose messages are still
 * being deleted ({@code lq_deleted_topic}), and the deletion of messages by offset range.
 */
final class LifecycleRows {

  private static final String TOPIC = "topic";
  private static final String PRODUCER = "producer";
  private static final String CONSUMER = "consumer";

  private LifecycleRows() {}

  static LastIds lastIds(Connection connection) throws SQLException {
    long topic = 0;
    long producer = 0;
    long consumer = 0;
    try (Statement select = connection.createStatement();
        ResultSet rows =
            select.executeQuery(
                // and those a cluster's members issued (ClusterRows), if it ran on this database
                "SELECT kind, last_id FROM lq_id_mark"
                    + " UNION ALL SELECT kind, last_id FROM lq_cluster_id")) {
      while (rows.next()) {
        switch (rows.getString(1)) {
          case TOPIC -> topic = Math.max(topic, rows.getLong(2));
          case PRODUCER -> producer = Math.max(producer, rows.getLong(2));
          case CONSUMER -> consumer = Math.max(consumer, rows.getLong(2));
          default -> {
            // a kind of a later version: not ours to read
          }
        }
      }
    }
    return new LastIds(topic, producer, consumer);
  }

  static void lastIds(Connection connection, LastIds ids) throws SQLException {
    try (Statement delete = connection.createStatement()) {
      delete.executeUpdate(
          "DELETE FROM lq_id_mark WHERE kind IN ('"
              + TOPIC
              + "', '"
              + PRODUCER
              + "', '"
              + CONSUMER
              + "')");
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO lq_id_mark (kind, last_id) VALUES (?, ?)")) {
      add(insert, TOPIC, ids.topic());
      add(insert, PRODUCER, ids.producer());
      add(insert, CONSUMER, ids.consumer());
      insert.executeBatch();
    }
  }

  private static void add(PreparedStatement insert, String kind, long id) throws SQLException {
    insert.setString(1, kind);
    insert.setLong(2, id);
    insert.addBatch();
  }

  static List<DeletedTopic> deletedTopics(Connection connection) throws SQLException {
    List<DeletedTopic> topics = new ArrayList<>();
    try (Statement select = connection.createStatement();
        ResultSet rows =
            select.executeQuery(
                "SELECT topic_id, end_offset FROM lq_deleted_topic ORDER BY topic_id")) {
      while (rows.next()) {
        topics.add(new DeletedTopic(new TopicId(rows.getLong(1)), rows.getLong(2)));
      }
    }
    return topics;
  }

  static void addDeletedTopic(Connection connection, DeletedTopic topic) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO lq_deleted_topic (topic_id, end_offset) VALUES (?, ?)")) {
      insert.setLong(1, topic.id().value());
      insert.setLong(2, topic.end());
      insert.executeUpdate();
    }
  }

  static void forgetDeletedTopic(Connection connection, TopicId topic) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM lq_deleted_topic WHERE topic_id = ?")) {
      delete.setLong(1, topic.value());
      delete.executeUpdate();
    }
  }

  /** Deletes a topic's messages in {@code [from, until)}: a range of the primary key. */
  static int deleteMessages(Connection connection, TopicId topic, long from, long until)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM lq_message WHERE topic_id = ? AND log_offset >= ? AND log_offset < ?")) {
      delete.setLong(1, topic.value());
      delete.setLong(2, from);
      delete.setLong(3, until);
      return delete.executeUpdate();
    }
  }
}
