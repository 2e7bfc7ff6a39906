package dev.logqueue.broker.store.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A producer and the one topic it appends to. */
@Entity
@Cacheable(false)
@Table(name = "lq_producer")
@NamedQuery(name = ProducerEntity.ALL, query = "SELECT p FROM ProducerEntity p")
@NamedQuery(
    name = ProducerEntity.DELETE_OF_TOPIC,
    query = "DELETE FROM ProducerEntity p WHERE p.topicId = :topic")
public class ProducerEntity {

  public static final String ALL = "ProducerEntity.all";
  public static final String DELETE_OF_TOPIC = "ProducerEntity.deleteOfTopic";

  @Id private long id;

  @Column(name = "topic_id", nullable = false)
  private long topicId;

  /** The token subject that registered it; null if registered without authentication. */
  @Column(name = "owner", length = 255)
  private String owner;

  protected ProducerEntity() {}

  public ProducerEntity(long id, long topicId, String owner) {
    this.id = id;
    this.topicId = topicId;
    this.owner = owner;
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
}
