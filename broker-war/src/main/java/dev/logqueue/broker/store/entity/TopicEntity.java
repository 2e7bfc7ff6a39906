package dev.logqueue.broker.store.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A topic: its id (creation order) and its unique name. */
@Entity
@Cacheable(false)
@Table(name = "lq_topic")
@NamedQuery(name = TopicEntity.ALL, query = "SELECT t FROM TopicEntity t ORDER BY t.id")
public class TopicEntity {

  public static final String ALL = "TopicEntity.all";

  @Id private long id;

  @Column(nullable = false, unique = true, length = 249)
  private String name;

  protected TopicEntity() {}

  public TopicEntity(long id, String name) {
    this.id = id;
    this.name = name;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }
}
