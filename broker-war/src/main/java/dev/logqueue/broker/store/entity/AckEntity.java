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
 * A message an explicit consumer settled above its floor (acknowledged out of order, or
 * dead-lettered). Rows below the floor are deleted as the floor passes them.
 */
@Entity
@Cacheable(false)
@Table(name = "lq_ack")
@IdClass(AckEntity.Key.class)
@NamedQuery(
    name = AckEntity.ALL,
    query = "SELECT a.consumerId, a.offset FROM AckEntity a ORDER BY a.consumerId, a.offset")
@NamedQuery(
    name = AckEntity.DELETE_BELOW,
    query = "DELETE FROM AckEntity a WHERE a.consumerId = :consumer AND a.offset < :floor")
public class AckEntity {

  public static final String ALL = "AckEntity.all";
  public static final String DELETE_BELOW = "AckEntity.deleteBelow";

  @Id
  @Column(name = "consumer_id")
  private long consumerId;

  @Id
  @Column(name = "log_offset")
  private long offset;

  protected AckEntity() {}

  public AckEntity(long consumerId, long offset) {
    this.consumerId = consumerId;
    this.offset = offset;
  }

  /** The primary key: consumer and offset. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    private long consumerId;
    private long offset;

    public Key() {}

    public Key(long consumerId, long offset) {
      this.consumerId = consumerId;
      this.offset = offset;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.consumerId == consumerId && key.offset == offset;
    }

    @Override
    public int hashCode() {
      return Objects.hash(consumerId, offset);
    }
  }
}
