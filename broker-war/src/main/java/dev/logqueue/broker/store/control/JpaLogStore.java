package dev.logqueue.broker.store.control;

import dev.logqueue.broker.cluster.control.ClusterSettings;
import dev.logqueue.broker.queue.control.LogStore;
import dev.logqueue.broker.queue.control.StoreException;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.store.entity.AckEntity;
import dev.logqueue.broker.store.entity.ConsumerEntity;
import dev.logqueue.broker.store.entity.MessageEntity;
import dev.logqueue.broker.store.entity.ProducerEntity;
import dev.logqueue.broker.store.entity.TopicEntity;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.eclipse.persistence.config.PersistenceUnitProperties;

/**
 * The log of record in the application's default datasource: the embedded H2 by default, PostgreSQL
 * when the datasource is pointed there (see payara-config/).
 *
 * <p>It bootstraps its persistence unit ({@code META-INF/logqueue-persistence.xml}) itself, the
 * first time the database answers, and applies the schema then; see that file for why.
 */
@ApplicationScoped
public class JpaLogStore implements LogStore {

  private static final Logger LOG = System.getLogger(JpaLogStore.class.getName());
  static final String UNIT = "logqueue";
  static final String UNIT_FILE = "META-INF/logqueue-persistence.xml";

  @Resource(lookup = "java:comp/DefaultDataSource")
  DataSource dataSource;

  @Inject ClusterSettings cluster;

  private volatile EntityManagerFactory factory;

  @Override
  public Snapshot load(long idsSince, int maxIds, Predicate<TopicName> here) {
    try (EntityManager em = entityManager()) {
      List<StoredTopic> topics = new ArrayList<>();
      Set<Long> loaded = new HashSet<>();
      Map<TopicId, List<RecentId>> recentIds = new HashMap<>();
      for (TopicEntity topic :
          em.createNamedQuery(TopicEntity.ALL, TopicEntity.class).getResultList()) {
        if (!here.test(TopicName.stored(topic.name()))) {
          continue;
        }
        loaded.add(topic.id());
        StoredTopic stored = stored(em, topic);
        topics.add(stored);
        if (maxIds > 0 && stored.end() > stored.start()) {
          long from = firstAtOrAfter(em, topic.id(), stored.start(), stored.end(), idsSince);
          List<RecentId> recent = recentIds(em, topic.id(), from, maxIds);
          if (!recent.isEmpty()) {
            recentIds.put(stored.topic().id(), recent);
          }
        }
      }
      List<ProducerRecord> producers =
          em.createNamedQuery(ProducerEntity.ALL, ProducerEntity.class).getResultList().stream()
              .filter(p -> loaded.contains(p.topicId()))
              .map(
                  p ->
                      new ProducerRecord(
                          new ProducerId(p.id()), new TopicId(p.topicId()), p.owner()))
              .toList();
      List<ConsumerRecord> consumers =
          em.createNamedQuery(ConsumerEntity.ALL, ConsumerEntity.class).getResultList().stream()
              .filter(c -> loaded.contains(c.topicId()))
              .map(
                  c ->
                      new ConsumerRecord(
                          new ConsumerId(c.id()),
                          new TopicId(c.topicId()),
                          c.nextOffset(),
                          new ConsumerSettings(
                              c.name(),
                              c.isExplicit(),
                              c.leaseMillis(),
                              c.maxDeliveries(),
                              c.deadLetterTopic() == null
                                  ? null
                                  : TopicName.of(c.deadLetterTopic())),
                          c.skipped(),
                          c.owner(),
                          c.startAt()))
              .toList();
      Set<Long> consumerIds = new HashSet<>();
      consumers.forEach(c -> consumerIds.add(c.id().value()));
      Map<ConsumerId, List<Long>> acks = new HashMap<>();
      for (Object[] row : em.createNamedQuery(AckEntity.ALL, Object[].class).getResultList()) {
        long consumer = ((Number) row[0]).longValue();
        if (consumerIds.contains(consumer)) {
          acks.computeIfAbsent(new ConsumerId(consumer), c -> new ArrayList<>())
              .add(((Number) row[1]).longValue());
        }
      }
      try (Connection connection = dataSource.getConnection()) {
        return new Snapshot(
            topics,
            producers,
            consumers,
            recentIds,
            acks,
            LifecycleRows.lastIds(connection),
            LifecycleRows.deletedTopics(connection));
      }
    } catch (RuntimeException | SQLException e) {
      throw new StoreException("Could not load the queue's state", e);
    }
  }

  /**
   * A topic's retained range from its row and its messages: the end is one past the last message
   * stored (or the start, if retention deleted every message), its position the last message's plus
   * its length.
   */
  private static StoredTopic stored(EntityManager em, TopicEntity topic) {
    Long last =
        em.createNamedQuery(MessageEntity.END, Long.class)
            .setParameter("topic", topic.id())
            .getSingleResult();
    long start = topic.startOffset();
    long end = last == null ? start : Math.max(start, last + 1);
    long endPosition = topic.startPosition();
    long lastAppendedAt = 0;
    long startTime = 0;
    if (end > start) {
      Object[] row =
          em.createNamedQuery(MessageEntity.LAST_AT, Object[].class)
              .setParameter("topic", topic.id())
              .setParameter("offset", end - 1)
              .getSingleResult();
      lastAppendedAt = ((Number) row[0]).longValue();
      endPosition = ((Number) row[1]).longValue() + ((byte[]) row[2]).length;
      startTime = timeAt(em, topic.id(), start);
    }
    Retention retention =
        new Retention(
            topic.retentionMillis() == null ? Retention.DEFAULT : topic.retentionMillis(),
            topic.retentionBytes() == null ? Retention.DEFAULT : topic.retentionBytes());
    return new StoredTopic(
        new TopicRecord(
            new TopicId(topic.id()), TopicName.stored(topic.name()), retention, topic.partitions()),
        start,
        topic.startPosition(),
        startTime,
        end,
        endPosition,
        lastAppendedAt);
  }

  private static long timeAt(EntityManager em, long topic, long offset) {
    return em.createNamedQuery(MessageEntity.TIME_AT, Long.class)
        .setParameter("topic", topic)
        .setParameter("offset", offset)
        .getSingleResult();
  }

  /**
   * The first offset in {@code [from, end)} whose message was appended at or after {@code time}
   * ({@code end} if none): a binary search by primary key, since times never decrease with the
   * offset. About 30 point reads for a billion messages, and no index on the time.
   */
  @Override
  public long firstAtOrAfter(TopicId topic, long from, long end, long time) {
    try (EntityManager em = entityManager()) {
      return firstAtOrAfter(em, topic.value(), from, end, time);
    } catch (RuntimeException e) {
      throw new StoreException("Could not search topic " + topic + " by time", e);
    }
  }

  static long firstAtOrAfter(EntityManager em, long topic, long from, long end, long time) {
    return search(from, end, offset -> timeAt(em, topic, offset) >= time);
  }

  /** The same search on the position: where the newest bytes of a topic begin. */
  @Override
  public long firstFromPosition(TopicId topic, long from, long end, long position) {
    try (EntityManager em = entityManager()) {
      return search(from, end, offset -> mark(em, topic.value(), offset).position() >= position);
    } catch (RuntimeException e) {
      throw new StoreException("Could not search topic " + topic + " by position", e);
    }
  }

  /** The first offset in {@code [low, high)} where {@code reached} holds, which then holds on. */
  private static long search(long low, long high, LongPredicate reached) {
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (reached.test(middle)) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  @Override
  public Mark mark(TopicId topic, long offset) {
    try (EntityManager em = entityManager()) {
      return mark(em, topic.value(), offset);
    } catch (RuntimeException e) {
      throw new StoreException("Could not read message " + offset + " of topic " + topic, e);
    }
  }

  private static Mark mark(EntityManager em, long topic, long offset) {
    Object[] row =
        em.createNamedQuery(MessageEntity.MARK_AT, Object[].class)
            .setParameter("topic", topic)
            .setParameter("offset", offset)
            .getSingleResult();
    return new Mark(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
  }

  @Override
  public int deleteMessages(TopicId topic, long from, long until) {
    return inTransaction(
        "delete messages " + from + " to " + until + " of topic " + topic,
        connection -> LifecycleRows.deleteMessages(connection, topic, from, until));
  }

  @Override
  public long lowestOffset(TopicId topic, long end) {
    try (EntityManager em = entityManager()) {
      Long lowest =
          em.createNamedQuery(MessageEntity.LOWEST, Long.class)
              .setParameter("topic", topic.value())
              .getSingleResult();
      return lowest == null ? end : Math.min(lowest, end);
    } catch (RuntimeException e) {
      throw new StoreException("Could not read the lowest offset of topic " + topic, e);
    }
  }

  @Override
  public void forgetDeletedTopic(TopicId topic) {
    this.<Integer>inTransaction(
        "forget deleted topic " + topic,
        connection -> {
          LifecycleRows.forgetDeletedTopic(connection, topic);
          return 0;
        });
  }

  @Override
  public void reclaim() {
    try (Connection connection = dataSource.getConnection()) {
      if (!"PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
        return; // H2's store reuses the space of its sparse chunks by itself
      }
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true); // VACUUM runs outside a transaction
      try (Statement vacuum = connection.createStatement()) {
        vacuum.execute("VACUUM lq_message");
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not vacuum the message table", e);
    }
  }

  /** Work by JDBC in a transaction of its own, on a connection of the persistence unit. */
  <T> T inTransaction(String what, SqlWork<T> work) {
    try (EntityManager em = entityManager()) {
      EntityTransaction transaction = em.getTransaction();
      transaction.begin();
      try {
        T result = work.on(em.unwrap(Connection.class));
        transaction.commit();
        return result;
      } finally {
        if (transaction.isActive()) {
          transaction.rollback();
        }
      }
    } catch (RuntimeException | SQLException e) {
      throw new StoreException("Could not " + what, e);
    }
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T on(Connection connection) throws SQLException;
  }

  /** The ids of a topic's messages from an offset on, the last {@code maxIds} of them. */
  private static List<RecentId> recentIds(EntityManager em, long topic, long from, int maxIds) {
    List<Object[]> rows =
        em.createNamedQuery(MessageEntity.IDS_FROM, Object[].class)
            .setParameter("topic", topic)
            .setParameter("from", from)
            .getResultList();
    List<RecentId> recent = new ArrayList<>(Math.min(rows.size(), maxIds));
    for (Object[] row : rows.subList(Math.max(0, rows.size() - maxIds), rows.size())) {
      recent.add(
          new RecentId(
              MessageId.of((String) row[1]),
              ((Number) row[0]).longValue(),
              ((Number) row[2]).longValue()));
    }
    return recent;
  }

  @Override
  public void commit(Changes changes) {
    try (EntityManager em = entityManager()) {
      EntityTransaction transaction = em.getTransaction();
      transaction.begin();
      try {
        write(em, changes);
        transaction.commit();
      } finally {
        if (transaction.isActive()) {
          transaction.rollback();
        }
      }
    } catch (Fenced e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreException("Commit failed", e);
    }
  }

  private static void write(EntityManager em, Changes changes) {
    if (!changes.fence().isEmpty()) {
      // first: the slots' rows are held from here until the transaction ends (ClusterRows)
      try {
        ClusterRows.checkFence(em.unwrap(Connection.class), changes.fence());
      } catch (SQLException e) {
        throw new StoreException("Could not check the claims of the commit", e);
      }
    }
    // acknowledgements the floors passed, or a move dropped, go first: what is inserted below stays
    for (AckRecord acks : changes.acks()) {
      em.createNamedQuery(AckEntity.DELETE_BELOW)
          .setParameter("consumer", acks.consumer().value())
          .setParameter("floor", acks.resetAcks() ? Long.MAX_VALUE : acks.floor())
          .executeUpdate();
    }
    for (TopicRecord topic : changes.topics()) {
      Retention own = topic.retention();
      em.persist(
          new TopicEntity(
              topic.id().value(),
              topic.name().value(),
              orNull(own.millis()),
              orNull(own.bytes()),
              topic.partitions()));
    }
    if (!changes.topics().isEmpty()) {
      // producers and consumers refer to their topic: its row goes first
      em.flush();
    }
    for (ProducerRecord producer : changes.producers()) {
      em.persist(
          new ProducerEntity(producer.id().value(), producer.topic().value(), producer.owner()));
    }
    for (ConsumerRecord consumer : changes.consumers()) {
      ConsumerSettings settings = consumer.settings();
      em.persist(
          new ConsumerEntity(
              consumer.id().value(),
              consumer.topic().value(),
              consumer.offset(),
              settings.name(),
              settings.explicit(),
              settings.leaseMillis(),
              settings.maxDeliveries(),
              settings.deadLetterTopic() == null ? null : settings.deadLetterTopic().value(),
              consumer.owner(),
              consumer.startAt()));
    }
    if (!changes.messages().isEmpty()) {
      // by JDBC, in this transaction (no foreign key: nothing of the entities needs writing first)
      try {
        MessageRows.insert(em.unwrap(Connection.class), changes.messages(), changes.fence());
      } catch (SQLException e) {
        throw new StoreException("Could not insert " + changes.messages().size() + " messages", e);
      }
    }
    if (!changes.consumers().isEmpty()) {
      // acknowledgements and moves of this batch may be of consumers it registers
      em.flush();
    }
    for (ConsumerRecord move : changes.offsets()) {
      ConsumerEntity consumer = consumer(em, move.id());
      consumer.moveTo(move.offset());
      consumer.skipped(move.skipped());
    }
    for (AckRecord acks : changes.acks()) {
      consumer(em, acks.consumer()).moveTo(acks.floor());
      for (long offset : acks.acked()) {
        em.persist(new AckEntity(acks.consumer().value(), offset));
      }
    }
    if (!changes.lifecycle().isEmpty()) {
      try {
        write(em, changes.lifecycle());
      } catch (SQLException e) {
        throw new StoreException("Could not write the topics' lifecycle", e);
      }
    }
  }

  /**
   * Retention settings and starts, then deletions (in a batch of their own, see the queue's
   * Command.isExclusive): a deleted topic's producers, consumers, their acknowledgements and its
   * row, a deleted consumer's acknowledgements and row. A deleted topic's messages are left to
   * {@link #deleteMessages}, listed in {@code lq_deleted_topic} until they are gone.
   */
  private static void write(EntityManager em, Lifecycle lifecycle) throws SQLException {
    for (TopicRecord retention : lifecycle.retention()) {
      topic(em, retention.id())
          .retention(orNull(retention.retention().millis()), orNull(retention.retention().bytes()));
    }
    for (StartRecord start : lifecycle.starts()) {
      topic(em, start.topic()).startAt(start.start(), start.position());
    }
    for (ConsumerId id : lifecycle.deletedConsumers()) {
      deleteConsumer(em, consumer(em, id));
    }
    for (DeletedTopic deleted : lifecycle.deletedTopics()) {
      for (ConsumerEntity consumer :
          em.createNamedQuery(ConsumerEntity.OF_TOPIC, ConsumerEntity.class)
              .setParameter("topic", deleted.id().value())
              .getResultList()) {
        deleteConsumer(em, consumer);
      }
      em.createNamedQuery(ProducerEntity.DELETE_OF_TOPIC)
          .setParameter("topic", deleted.id().value())
          .executeUpdate();
      em.flush(); // the rows that refer to the topic go first
      em.remove(topic(em, deleted.id()));
    }
    em.flush();
    Connection connection = em.unwrap(Connection.class);
    for (DeletedTopic deleted : lifecycle.deletedTopics()) {
      LifecycleRows.addDeletedTopic(connection, deleted);
    }
    if (lifecycle.lastIds() != null) {
      LifecycleRows.lastIds(connection, lifecycle.lastIds());
    }
  }

  private static void deleteConsumer(EntityManager em, ConsumerEntity consumer) {
    em.createNamedQuery(AckEntity.DELETE_BELOW)
        .setParameter("consumer", consumer.id())
        .setParameter("floor", Long.MAX_VALUE)
        .executeUpdate();
    em.remove(consumer);
  }

  private static TopicEntity topic(EntityManager em, TopicId id) {
    TopicEntity topic = em.find(TopicEntity.class, id.value());
    if (topic == null) {
      throw new IllegalStateException("Topic " + id + " is not in the store");
    }
    return topic;
  }

  /** A retention field as stored: null where it follows the broker's default. */
  private static Long orNull(long field) {
    return field == Retention.DEFAULT ? null : field;
  }

  private static ConsumerEntity consumer(EntityManager em, ConsumerId id) {
    ConsumerEntity consumer = em.find(ConsumerEntity.class, id.value());
    if (consumer == null) {
      throw new IllegalStateException("Consumer " + id + " is not in the store");
    }
    return consumer;
  }

  @Override
  public List<Message> read(TopicId topic, long fromOffset, int max) {
    try (EntityManager em = entityManager()) {
      List<Object[]> rows =
          em.createNamedQuery(MessageEntity.RANGE, Object[].class)
              .setParameter("topic", topic.value())
              .setParameter("from", fromOffset)
              .setParameter("until", fromOffset + max)
              .getResultList();
      List<Message> messages = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        if (((Number) row[5]).longValue() != fromOffset + messages.size()) {
          break; // a gap: retention deleted these since the caller looked (only from below)
        }
        String text = new String((byte[]) row[0], StandardCharsets.UTF_8);
        long timestamp = ((Number) row[1]).longValue();
        Message.Origin origin =
            row[2] == null
                ? null
                : new Message.Origin(
                    TopicName.of((String) row[2]),
                    ((Number) row[3]).longValue(),
                    ((Number) row[4]).intValue());
        messages.add(new Message(text, timestamp, origin));
      }
      return messages;
    } catch (RuntimeException e) {
      throw new StoreException("Could not read messages of topic " + topic, e);
    }
  }

  /**
   * An entity manager of the persistence unit, bootstrapped (and the schema applied) on first use;
   * a failed bootstrap is retried on the next call.
   */
  private EntityManager entityManager() {
    EntityManagerFactory current = factory;
    if (current == null) {
      current = bootstrap();
    }
    return current.createEntityManager();
  }

  /** What the database would lose (the broker will not use it), and what it exposes. */
  private volatile List<String> refusals = List.of();

  private volatile List<String> warnings = List.of();

  @Override
  public List<String> problems() {
    List<String> all = new ArrayList<>(refusals);
    all.addAll(warnings);
    return all;
  }

  private synchronized EntityManagerFactory bootstrap() {
    if (factory != null) {
      return factory;
    }
    String database;
    try {
      Durability.Findings findings;
      try (Connection connection = dataSource.getConnection()) {
        findings = Durability.check(connection);
      }
      if (!findings.warnings().equals(warnings)) {
        findings.warnings().forEach(warning -> LOG.log(Level.WARNING, warning));
      }
      warnings = findings.warnings();
      if (!findings.refusals().isEmpty()) {
        if (!findings.refusals().equals(refusals)) {
          findings.refusals().forEach(refusal -> LOG.log(Level.ERROR, refusal));
        }
        refusals = findings.refusals();
        throw new StoreException(findings.refusals().get(0));
      }
      refusals = List.of();
      database = Schema.apply(dataSource);
    } catch (SQLException e) {
      throw new StoreException("Could not apply the schema", e);
    }
    Map<String, Object> properties = new HashMap<>();
    properties.put(PersistenceUnitProperties.ECLIPSELINK_PERSISTENCE_XML, UNIT_FILE);
    properties.put(PersistenceUnitProperties.NON_JTA_DATASOURCE, dataSource);
    if (cluster != null && cluster.isClustered()) {
      // the other members write consumers too: a cached row would be another member's past (a
      // member that serves a topic again would load the offsets it had, not those committed since)
      properties.put(PersistenceUnitProperties.SHARED_CACHE_MODE, "NONE");
    }
    EntityManagerFactory created = Persistence.createEntityManagerFactory(UNIT, properties);
    try {
      // logs in now, so that a failure shows here and the next call starts over
      created.createEntityManager().close();
    } catch (RuntimeException e) {
      created.close();
      throw e;
    }
    LOG.log(Level.INFO, "Database: {0}", database);
    factory = created;
    return created;
  }

  @PreDestroy
  void close() {
    EntityManagerFactory current = factory;
    if (current != null) {
      current.close();
    }
  }

  @Override
  public boolean isReachable() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }
}
