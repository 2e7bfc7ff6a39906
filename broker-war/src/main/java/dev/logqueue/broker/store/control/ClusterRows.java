package dev.logqueue.broker.store.control;

import dev.logqueue.broker.queue.control.Claims.Claim;
import dev.logqueue.broker.queue.control.LogStore.Fenced;
import dev.logqueue.broker.queue.control.Placement.ConsumerRow;
import dev.logqueue.broker.queue.control.Placement.IdKind;
import dev.logqueue.broker.queue.control.Placement.ProducerRow;
import dev.logqueue.broker.queue.control.Placement.TopicRow;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.store.control.ClusterTables.Slot;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rows of a cluster's placement ({@code V7__cluster.sql}): slots and their epochs, and the ids
 * the members issue. PostgreSQL's SQL ({@code ON CONFLICT}, {@code RETURNING}, arrays): a cluster
 * runs on PostgreSQL only.
 */
final class ClusterRows {

  private ClusterRows() {}

  /**
   * How long PostgreSQL lets a transaction of the cluster's rows sit idle before it ends the
   * session. A member cut off from the network in the middle of a commit leaves its transaction
   * open, and the slot rows it holds FOR SHARE with it, until the server notices the connection is
   * dead (hours, by TCP keep-alive); the member taking its slots over would wait as long. A live
   * member sends a commit's statements back to back, so seconds of silence mean it is gone.
   */
  static final String IDLE_LIMIT = "2s";

  /**
   * Bounds the current transaction's idle time ({@link #IDLE_LIMIT}), in the transaction itself
   * ({@code SET LOCAL}): it holds on any pool, whatever its own settings.
   */
  private static void boundIdleTime(Connection connection) throws SQLException {
    try (java.sql.Statement set = connection.createStatement()) {
      set.execute("SET LOCAL idle_in_transaction_session_timeout = '" + IDLE_LIMIT + "'");
    }
  }

  /**
   * Raises the epoch of each slot (a new slot starts at 1) and names its new holder; the epochs
   * after the raise. A commit of the former holder that checked its fence before waits for this
   * transaction, and one that checks after finds the epoch moved.
   */
  static Map<Integer, Long> claim(
      Connection connection, Collection<Integer> slots, String holder, long now)
      throws SQLException {
    Map<Integer, Long> epochs = new TreeMap<>();
    if (slots.isEmpty()) {
      return epochs;
    }
    boundIdleTime(connection);
    try (PreparedStatement claim =
        connection.prepareStatement(
            "INSERT INTO lq_slot (slot, epoch, holder, claimed_at)"
                + " SELECT s, 1, ?, ? FROM unnest(?) AS s"
                + " ON CONFLICT (slot) DO UPDATE SET epoch = lq_slot.epoch + 1,"
                + " holder = EXCLUDED.holder, claimed_at = EXCLUDED.claimed_at"
                + " RETURNING slot, epoch")) {
      claim.setString(1, holder);
      claim.setLong(2, now);
      claim.setArray(3, integers(connection, slots));
      try (ResultSet rows = claim.executeQuery()) {
        while (rows.next()) {
          epochs.put(rows.getInt(1), rows.getLong(2));
        }
      }
    }
    return epochs;
  }

  /**
   * Checks, at the start of a commit's transaction, that every slot it writes still has the epoch
   * its broker claimed, and holds the rows (FOR SHARE) until the transaction ends, so that a claim
   * can only come before the check or after the commit.
   *
   * @throws Fenced if one moved
   */
  static void checkFence(Connection connection, Map<TopicId, Claim> fence) throws SQLException {
    Map<Integer, Long> expected = new HashMap<>();
    fence.values().forEach(claim -> expected.put(claim.slot(), claim.epoch()));
    boundIdleTime(connection);
    try (PreparedStatement check =
        connection.prepareStatement(
            "SELECT slot, epoch FROM lq_slot WHERE slot = ANY (?) FOR SHARE")) {
      check.setArray(1, integers(connection, expected.keySet()));
      Map<Integer, Long> found = new HashMap<>();
      try (ResultSet rows = check.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getInt(1), rows.getLong(2));
        }
      }
      for (Map.Entry<Integer, Long> claim : expected.entrySet()) {
        Long now = found.get(claim.getKey());
        if (!claim.getValue().equals(now)) {
          throw new Fenced(
              "slot "
                  + claim.getKey()
                  + " was claimed at epoch "
                  + claim.getValue()
                  + ", the store has "
                  + now);
        }
      }
    }
  }

  /**
   * The next id of a kind, above every id stored or ever issued (by a single broker before, too),
   * in a transaction of its own: the row lock orders the members.
   */
  static long nextId(Connection connection, IdKind kind) throws SQLException {
    String name = kind.name().toLowerCase(Locale.ROOT);
    String table =
        switch (kind) {
          case TOPIC -> "lq_topic";
          case PRODUCER -> "lq_producer";
          case CONSUMER -> "lq_consumer";
        };
    boundIdleTime(connection);
    try (PreparedStatement next =
        connection.prepareStatement(
            "UPDATE lq_cluster_id SET last_id = GREATEST(last_id,"
                + " (SELECT COALESCE(MAX(id), 0) FROM "
                + table
                + "), (SELECT COALESCE(MAX(last_id), 0) FROM lq_id_mark WHERE kind = ?)) + 1"
                + " WHERE kind = ? RETURNING last_id")) {
      next.setString(1, name);
      next.setString(2, name);
      try (ResultSet row = next.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("lq_cluster_id has no row for " + name);
        }
        return row.getLong(1);
      }
    }
  }

  /** A topic's row: id, partitions, own retention. */
  static Optional<TopicRow> topic(Connection connection, TopicName name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id, partitions, retention_ms, retention_bytes FROM lq_topic WHERE name = ?")) {
      select.setString(1, name.value());
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        long millis = rows.getLong(3);
        millis = rows.wasNull() ? Retention.DEFAULT : millis;
        long bytes = rows.getLong(4);
        bytes = rows.wasNull() ? Retention.DEFAULT : bytes;
        return Optional.of(
            new TopicRow(
                new TopicId(rows.getLong(1)), rows.getInt(2), new Retention(millis, bytes)));
      }
    }
  }

  /** A producer's row: its topic and owner. */
  static Optional<ProducerRow> producer(Connection connection, ProducerId id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT topic_id, owner FROM lq_producer WHERE id = ?")) {
      select.setLong(1, id.value());
      try (ResultSet rows = select.executeQuery()) {
        return rows.next()
            ? Optional.of(new ProducerRow(new TopicId(rows.getLong(1)), rows.getString(2)))
            : Optional.empty();
      }
    }
  }

  /** A consumer's row: its topic, settings, owner and partitions' start. */
  static Optional<ConsumerRow> consumer(Connection connection, ConsumerId id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT topic_id, name, ack_mode, lease_ms, max_deliveries, dead_letter_topic, owner,"
                + " start_at FROM lq_consumer WHERE id = ?")) {
      select.setLong(1, id.value());
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        String deadLetter = rows.getString(6);
        ConsumerSettings settings =
            new ConsumerSettings(
                rows.getString(2),
                "explicit".equals(rows.getString(3)),
                rows.getLong(4),
                rows.getInt(5),
                deadLetter == null ? null : TopicName.of(deadLetter));
        return Optional.of(
            new ConsumerRow(
                new TopicId(rows.getLong(1)), settings, rows.getString(7), rows.getString(8)));
      }
    }
  }

  /** Every topic's name, in creation order (not the logs of their partitions). */
  static List<TopicName> topicNames(Connection connection) throws SQLException {
    return names(connection, "SELECT name FROM lq_topic WHERE name NOT LIKE '%#%' ORDER BY id");
  }

  /** Every log's name, topics' and their partitions', in creation order. */
  static List<TopicName> logNames(Connection connection) throws SQLException {
    return names(connection, "SELECT name FROM lq_topic ORDER BY id");
  }

  private static List<TopicName> names(Connection connection, String query) throws SQLException {
    List<TopicName> names = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(query);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        names.add(TopicName.stored(rows.getString(1)));
      }
    }
    return names;
  }

  /** Every slot claimed so far, in order. */
  static List<Slot> slots(Connection connection) throws SQLException {
    List<Slot> slots = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT slot, epoch, holder, claimed_at FROM lq_slot ORDER BY slot");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        slots.add(new Slot(rows.getInt(1), rows.getLong(2), rows.getString(3), rows.getLong(4)));
      }
    }
    return slots;
  }

  private static Array integers(Connection connection, Collection<Integer> values)
      throws SQLException {
    return connection.createArrayOf("integer", values.toArray(new Integer[0]));
  }
}
