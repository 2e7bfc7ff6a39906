package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;
import java.util.Optional;

/**
 * Which topics this broker serves. A single broker serves all of them ({@link #SINGLE}); a member
 * of a cluster serves those its cluster places on it, claimed in the store before it loads them
 * (see {@link Claims}).
 */
public interface Placement {

  /** What ids are for: each kind has its own sequence. */
  enum IdKind {
    TOPIC,
    PRODUCER,
    CONSUMER
  }

  /** A single broker: every topic, ids counted in memory. */
  Placement SINGLE =
      new Placement() {
        @Override
        public Claims claim() {
          return Claims.ALL;
        }

        @Override
        public void onChange(Runnable listener) {}

        @Override
        public long nextId(IdKind kind) {
          throw new UnsupportedOperationException("A single broker counts ids in memory");
        }

        @Override
        public List<TopicName> topicNames() {
          throw new UnsupportedOperationException("A single broker knows its topics in memory");
        }
      };

  /**
   * Claims, in the store, what this broker is to serve now: called before each load of the state,
   * so that the load sees every commit of a broker that served it before. Throws {@link
   * StoreException} when the store does not answer.
   */
  Claims claim();

  /** Tells {@code listener} whenever what this broker is to serve may have changed. */
  void onChange(Runnable listener);

  /**
   * A new id of this kind, unique in the cluster and never issued before (only where {@link
   * Claims#isClustered()}: a single broker counts them itself).
   */
  long nextId(IdKind kind);

  /** Every topic of the cluster, in creation order (only where {@link Claims#isClustered()}). */
  List<TopicName> topicNames();

  /** A topic's row as the store has it now: its id, partitions and own retention. */
  record TopicRow(TopicId id, int partitions, Retention retention) {}

  /** A producer's row: the topic it is registered for, and its owner (null without one). */
  record ProducerRow(TopicId topic, String owner) {}

  /** A consumer's row: its topic, settings, owner and where its partitions' cursors begin. */
  record ConsumerRow(TopicId topic, ConsumerSettings settings, String owner, String startAt) {}

  /**
   * A topic another member may serve, read from the store (only where {@link
   * Claims#isClustered()}): what a member needs of a topic whose partition it serves.
   */
  default Optional<TopicRow> storedTopic(TopicName name) {
    throw new UnsupportedOperationException("A single broker knows its topics in memory");
  }

  /** A producer another member registered, read from the store (only in a cluster). */
  default Optional<ProducerRow> storedProducer(ProducerId id) {
    throw new UnsupportedOperationException("A single broker knows its producers in memory");
  }

  /** A consumer another member registered, read from the store (only in a cluster). */
  default Optional<ConsumerRow> storedConsumer(ConsumerId id) {
    throw new UnsupportedOperationException("A single broker knows its consumers in memory");
  }
}
