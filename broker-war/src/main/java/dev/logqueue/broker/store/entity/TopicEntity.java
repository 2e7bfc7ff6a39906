package dev.logqueue.broker.store.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A topic: its id (creation order), its unique name, its own retention (null: the broker's
 * default), and its first retained offset with the bytes of the topic before it.
 */
@Entity
@Cacheable(false)
@Table(name = "lq_topic")
@NamedQuery(name = TopicEntity.ALL, query = "SELECT t FROM TopicEntity t ORDER BY t.id")
public class TopicEntity {

  public static final String ALL = "TopicEntity.all";

  @Id private long id;

  @Column(nullable = false, unique = true, length = 249)
  private String name;

  @Column(name = "retention_ms")
  private Long retentionMillis;

  @Column(name = "retention_bytes")
  private Long retentionBytes;

  @Column(name = "start_offset", nullable = false)
  private long startOffset;

  @Column(name = "start_position", nullable = false)
  private long startPosition;

  @Column(name = "partitions", nullable = false)
  private int partitions = 1;

  protected TopicEntity() {}

  public TopicEntity(
      long id, String name, Long retentionMillis, Long retentionBytes, int partitions) {
    this.id = id;
    this.partitions = partitions;
    this.name = name;
    this.retentionMillis = retentionMillis;
    this.retentionBytes = retentionBytes;
  }

  public Long retentionMillis() {
    return retentionMillis;
  }

  public Long retentionBytes() {
    return retentionBytes;
  }

  public void retention(Long millis, Long bytes) {
    this.retentionMillis = millis;
    this.retentionBytes = bytes;
  }

  public long startOffset() {
    return startOffset;
  }

  public long startPosition() {
    return startPosition;
  }

  /** Retention deleted the messages below {@code offset}; {@code position} bytes were before it. */
  public void startAt(long offset, long position) {
    if (offset > startOffset) {
      this.startOffset = offset;
      this.startPosition = position;
    }
  }

  /** How many partitions the topic has (1: not partitioned; a partition's own log has 1). */
  public int partitions() {
    return partitions;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }
}
