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
 * A message: its topic, its offset in the topic (from 0, without gaps), who produced it, and its
 * text as UTF-8 bytes (bytes, so that any Unicode text round-trips, NUL included). The primary key
 * (topic, offset) is the index every read goes through.
 */
@Entity
@Cacheable(false)
@Table(name = "lq_message")
@IdClass(MessageEntity.Key.class)
@NamedQuery(
    name = MessageEntity.RANGE,
    query =
        "SELECT m.payload FROM MessageEntity m WHERE m.topicId = :topic"
            + " AND m.offset >= :from AND m.offset < :until ORDER BY m.offset")
@NamedQuery(
    name = MessageEntity.END,
    query = "SELECT MAX(m.offset) FROM MessageEntity m WHERE m.topicId = :topic")
public class MessageEntity {

  public static final String RANGE = "MessageEntity.range";
  public static final String END = "MessageEntity.end";

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

  protected MessageEntity() {}

  public MessageEntity(long topicId, long offset, long producerId, byte[] payload) {
    this.topicId = topicId;
    this.offset = offset;
    this.producerId = producerId;
    this.payload = payload;
  }

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
