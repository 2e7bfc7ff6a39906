package dev.logqueue.broker.store.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * A message: its topic, its offset in the topic (from 0, without gaps), who produced it, when, the
 * producer's id for it, and its text as UTF-8 bytes (bytes, so that any Unicode text round-trips,
 * NUL included). The primary key (topic, offset) is the index every read goes through.
 *
 * <p>Read through JPA queries only: the store inserts the rows by JDBC ({@code MessageRows}).
 */
@Entity
@Cacheable(false)
@Table(name = "lq_message")
@IdClass(MessageEntity.Key.class)
@NamedQuery(
    name = MessageEntity.RANGE,
    query =
        "SELECT m.payload, m.appendedAt, m.originTopic, m.originOffset, m.originDeliveries,"
            + " m.offset FROM MessageEntity m WHERE m.topicId = :topic"
            + " AND m.offset >= :from AND m.offset < :until ORDER BY m.offset")
@NamedQuery(
    name = MessageEntity.END,
    query = "SELECT MAX(m.offset) FROM MessageEntity m WHERE m.topicId = :topic")
@NamedQuery(
    name = MessageEntity.TIME_AT,
    query =
        "SELECT m.appendedAt FROM MessageEntity m WHERE m.topicId = :topic"
            + " AND m.offset = :offset")
@NamedQuery(
    name = MessageEntity.MARK_AT,
    query =
        "SELECT m.appendedAt, m.bytePosition FROM MessageEntity m WHERE m.topicId = :topic"
            + " AND m.offset = :offset")
@NamedQuery(
    name = MessageEntity.LAST_AT,
    query =
        "SELECT m.appendedAt, m.bytePosition, m.payload FROM MessageEntity m"
            + " WHERE m.topicId = :topic AND m.offset = :offset")
@NamedQuery(
    name = MessageEntity.LOWEST,
    query = "SELECT MIN(m.offset) FROM MessageEntity m WHERE m.topicId = :topic")
@NamedQuery(
    name = MessageEntity.IDS_FROM,
    query =
        "SELECT m.offset, m.messageId, m.appendedAt FROM MessageEntity m WHERE m.topicId = :topic"
            + " AND m.offset >= :from AND m.messageId IS NOT NULL ORDER BY m.offset")
public class MessageEntity {

  public static final String RANGE = "MessageEntity.range";
  public static final String END = "MessageEntity.end";

  /** When the message at an offset was appended: by primary key. */
  public static final String TIME_AT = "MessageEntity.timeAt";

  /** When the message at an offset was appended, and the bytes before it: by primary key. */
  public static final String MARK_AT = "MessageEntity.markAt";

  /** The same and the payload, for the last message (the bytes at the end). */
  public static final String LAST_AT = "MessageEntity.lastAt";

  /** The lowest offset stored of a topic: where deletion resumes. */
  public static final String LOWEST = "MessageEntity.lowest";

  /** The ids of a topic's messages from an offset on: a range of the primary key. */
  public static final String IDS_FROM = "MessageEntity.idsFrom";

  @Id
  @Column(name = "topic_id")
  private long topicId;

  @Id
  @Column(name = "log_offset")
  private long offset;

  @Column(name = "producer_id", nullable = false)
  private long producerId;

  @Column(nullable = false)
  private byte[] payload;

  /** Milliseconds since 1970 (UTC), never decreasing within a topic; 0 before schema version 2. */
  /** The bytes of UTF-8 of the topic's messages before this one. */
  @Column(name = "byte_position", nullable = false)
  private long bytePosition;

  @Column(name = "appended_at", nullable = false)
  private long appendedAt;

  /** The producer's id for the message, if it gave one. */
  @Column(name = "message_id", length = 128)
  private String messageId;

  /** For a dead-lettered copy: where the original is, and how often it was delivered. */
  @Column(name = "origin_topic", length = 249)
  private String originTopic;

  @Column(name = "origin_offset")
  private Long originOffset;

  @Column(name = "origin_deliveries")
  private Integer originDeliveries;

  protected MessageEntity() {}

  /** The primary key: topic and offset. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    private long topicId;
    private long offset;

    public Key() {}

    public Key(long topicId, long offset) {
      this.topicId = topicId;
      this.offset = offset;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.topicId == topicId && key.offset == offset;
    }

    @Override
    public int hashCode() {
      return Objects.hash(topicId, offset);
    }
  }
}
