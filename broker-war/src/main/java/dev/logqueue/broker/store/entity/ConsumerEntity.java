package dev.logqueue.broker.store.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Cache;
import org.eclipse.persistence.annotations.CacheType;

/**
 * A consumer, the topic it reads, its settings and its position. Consumers stay in EclipseLink's
 * shared cache (they are few and the queue holds them in memory anyway), so moving an offset in a
 * commit is one batched UPDATE, without a SELECT first.
 */
@Entity
@Cacheable
@Cache(type = CacheType.FULL)
@Table(name = "lq_consumer")
@NamedQuery(name = ConsumerEntity.ALL, query = "SELECT c FROM ConsumerEntity c")
@NamedQuery(
    name = ConsumerEntity.OF_TOPIC,
    query = "SELECT c FROM ConsumerEntity c WHERE c.topicId = :topic")
public class ConsumerEntity {

  public static final String ALL = "ConsumerEntity.all";
  public static final String OF_TOPIC = "ConsumerEntity.ofTopic";

  @Id private long id;

  @Column(name = "topic_id", nullable = false)
  private long topicId;

  /** Auto: the next message it gets; explicit: its floor, below which everything is settled. */
  @Column(name = "next_offset", nullable = false)
  private long nextOffset;

  /** A durable consumer's name, unique within its topic; null for an anonymous one. */
  @Column(name = "name", length = 249)
  private String name;

  /** {@code auto} or {@code explicit}. */
  @Column(name = "ack_mode", nullable = false, length = 8)
  private String ackMode;

  @Column(name = "lease_ms", nullable = false)
  private long leaseMillis;

  /** 0 without a dead-letter topic. */
  @Column(name = "max_deliveries", nullable = false)
  private int maxDeliveries;

  @Column(name = "dead_letter_topic", length = 249)
  private String deadLetterTopic;

  /** Messages retention deleted before the consumer read them, not told to it yet. */
  @Column(name = "skipped", nullable = false)
  private long skipped;

  /** The token subject that registered it; null if registered without authentication. */
  @Column(name = "owner", length = 255)
  private String owner;

  @Column(name = "start_at", length = 40)
  private String startAt;

  protected ConsumerEntity() {}

  public ConsumerEntity(
      long id,
      long topicId,
      long nextOffset,
      String name,
      boolean explicit,
      long leaseMillis,
      int maxDeliveries,
      String deadLetterTopic,
      String owner,
      String startAt) {
    this.owner = owner;
    this.startAt = startAt;
    this.id = id;
    this.topicId = topicId;
    this.nextOffset = nextOffset;
    this.name = name;
    this.ackMode = explicit ? "explicit" : "auto";
    this.leaseMillis = leaseMillis;
    this.maxDeliveries = maxDeliveries;
    this.deadLetterTopic = deadLetterTopic;
  }

  public String name() {
    return name;
  }

  public boolean isExplicit() {
    return "explicit".equals(ackMode);
  }

  public long leaseMillis() {
    return leaseMillis;
  }

  public int maxDeliveries() {
    return maxDeliveries;
  }

  public String deadLetterTopic() {
    return deadLetterTopic;
  }

  /** Where the consumer's cursors on its topic's other partitions begin (null: one partition). */
  public String startAt() {
    return startAt;
  }

  public String owner() {
    return owner;
  }

  public long id() {
    return id;
  }

  public long topicId() {
    return topicId;
  }

  public long nextOffset() {
    return nextOffset;
  }

  public void moveTo(long offset) {
    this.nextOffset = offset;
  }

  public long skipped() {
    return skipped;
  }

  public void skipped(long count) {
    this.skipped = count;
  }
}
