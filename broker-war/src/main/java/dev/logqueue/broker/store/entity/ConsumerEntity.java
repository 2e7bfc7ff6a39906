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
 * A consumer, the topic it reads and the offset of the next message it gets. Consumers stay in
 * EclipseLink's shared cache (they are few and the queue holds them in memory anyway), so moving an
 * offset in a commit is one batched UPDATE, without a SELECT first.
 */
@Entity
@Cacheable
@Cache(type = CacheType.FULL)
@Table(name = "lq_consumer")
@NamedQuery(name = ConsumerEntity.ALL, query = "SELECT c FROM ConsumerEntity c")
public class ConsumerEntity {

  public static final String ALL = "ConsumerEntity.all";

  @Id private long id;

  @Column(name = "topic_id", nullable = false)
  private long topicId;

  @Column(name = "next_offset", nullable = false)
  private long nextOffset;

  protected ConsumerEntity() {}

  public ConsumerEntity(long id, long topicId, long nextOffset) {
    this.id = id;
    this.topicId = topicId;
    this.nextOffset = nextOffset;
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
}
