package dev.logqueue.broker.store.control;

import dev.logqueue.broker.queue.control.Placement.ConsumerRow;
import dev.logqueue.broker.queue.control.Placement.IdKind;
import dev.logqueue.broker.queue.control.Placement.ProducerRow;
import dev.logqueue.broker.queue.control.Placement.TopicRow;
import dev.logqueue.broker.queue.control.StoreException;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a cluster's members keep in the store beside the log: the slots they claimed and their
 * epochs, the ids they issue, the topics of all of them. Each call is a transaction of its own;
 * every method throws {@link StoreException} when the database cannot do what is asked.
 */
@ApplicationScoped
public class ClusterTables {

  /** A slot's row: its epoch, who claimed it last, and when (milliseconds since 1970). */
  public record Slot(int slot, long epoch, String holder, long claimedAt) {}

  @Inject JpaLogStore store;

  /** Raises the epochs of these slots for {@code holder}: the epochs it holds them at now. */
  public Map<Integer, Long> claim(Collection<Integer> slots, String holder) {
    return store.inTransaction(
        "claim " + slots.size() + " slots",
        connection -> {
          requirePostgresql(connection);
          return ClusterRows.claim(connection, slots, holder, System.currentTimeMillis());
        });
  }

  /** A new id of this kind, never issued before by any broker on this database. */
  public long nextId(IdKind kind) {
    return store.inTransaction(
        "issue a " + kind + " id", connection -> ClusterRows.nextId(connection, kind));
  }

  /** Every topic's name, in creation order. */
  public List<TopicName> topicNames() {
    return store.inTransaction("list the topics", ClusterRows::topicNames);
  }

  public Optional<TopicRow> topic(TopicName name) {
    return store.inTransaction("read topic " + name, c -> ClusterRows.topic(c, name));
  }

  public Optional<ProducerRow> producer(ProducerId id) {
    return store.inTransaction("read producer " + id, c -> ClusterRows.producer(c, id));
  }

  public Optional<ConsumerRow> consumer(ConsumerId id) {
    return store.inTransaction("read consumer " + id, c -> ClusterRows.consumer(c, id));
  }

  /** Every log's name (topics' and their partitions'), in creation order. */
  public List<TopicName> logNames() {
    return store.inTransaction("list the logs", ClusterRows::logNames);
  }

  /** Every slot claimed so far, in order. */
  public List<Slot> slots() {
    return store.inTransaction("list the slots", ClusterRows::slots);
  }

  private static void requirePostgresql(java.sql.Connection connection)
      throws java.sql.SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    if (!"PostgreSQL".equalsIgnoreCase(product)) {
      throw new java.sql.SQLException(
          "A cluster of brokers needs PostgreSQL (LOGQUEUE_DB=postgresql), not " + product);
    }
  }
}
