package dev.logqueue.broker.store.control;

import dev.logqueue.broker.queue.control.Claims.Claim;
import dev.logqueue.broker.queue.control.LogStore.MessageRecord;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.TopicId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * Writes a commit's messages as one JDBC batch on the transaction's own connection, beside the
 * entities. The messages are most of what a commit writes, and they are only ever inserted: through
 * EclipseLink's unit of work (registration, change sets, its batch mechanism) a row cost about four
 * times what the driver spends on it, half the broker's CPU under batch produce on PostgreSQL (an
 * async-profiler profile, 2026-12-03). The columns are those of {@code MessageEntity}, through
 * which they are read.
 */
final class MessageRows {

  static final String INSERT =
      "INSERT INTO lq_message (topic_id, log_offset, producer_id, payload, appended_at, message_id,"
          + " origin_topic, origin_offset, origin_deliveries, byte_position, writer_epoch)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private MessageRows() {}

  /**
   * Inserts the messages; in a cluster each with the epoch of its topic's claim ({@code fence}),
   * without one (null) on a single broker.
   */
  static void insert(Connection connection, List<MessageRecord> records, Map<TopicId, Claim> fence)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (MessageRecord record : records) {
        Message message = record.message();
        insert.setLong(1, record.topic().value());
        insert.setLong(2, record.offset());
        insert.setLong(3, record.producer().value());
        insert.setBytes(4, message.text().getBytes(StandardCharsets.UTF_8));
        insert.setLong(5, message.timestamp());
        if (record.messageId() == null) {
          insert.setNull(6, Types.VARCHAR);
        } else {
          insert.setString(6, record.messageId().value());
        }
        Message.Origin origin = message.origin();
        if (origin == null) {
          insert.setNull(7, Types.VARCHAR);
          insert.setNull(8, Types.BIGINT);
          insert.setNull(9, Types.INTEGER);
        } else {
          insert.setString(7, origin.topic().value());
          insert.setLong(8, origin.offset());
          insert.setInt(9, origin.deliveries());
        }
        insert.setLong(10, record.position());
        Claim claim = fence.get(record.topic());
        if (claim == null) {
          insert.setNull(11, Types.BIGINT);
        } else {
          insert.setLong(11, claim.epoch());
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
