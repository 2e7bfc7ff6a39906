package dev.logqueue.broker.store.control;

import dev.logqueue.broker.queue.control.LogStore;
import dev.logqueue.broker.queue.control.StoreException;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
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
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  private volatile EntityManagerFactory factory;

  @Override
  public Snapshot load(long idsSince, int maxIds) {
    try (EntityManager em = entityManager()) {
      List<TopicRecord> topics = new ArrayList<>();
      Map<TopicId, List<RecentId>> recentIds = new HashMap<>();
      for (TopicEntity topic :
          em.createNamedQuery(TopicEntity.ALL, TopicEntity.class).getResultList()) {
        Long last =
            em.createNamedQuery(MessageEntity.END, Long.class)
                .setParameter("topic", topic.id())
                .getSingleResult();
        long end = last == null ? 0 : last + 1;
        TopicId id = new TopicId(topic.id());
        topics.add(
            new TopicRecord(
                id,
                TopicName.of(topic.name()),
                end,
                end == 0 ? 0 : timeAt(em, topic.id(), end - 1)));
        if (maxIds > 0 && end > 0) {
          List<RecentId> recent =
              recentIds(em, topic.id(), firstAtOrAfter(em, topic.id(), end, idsSince), maxIds);
          if (!recent.isEmpty()) {
            recentIds.put(id, recent);
          }
        }
      }
      List<ProducerRecord> producers =
          em.createNamedQuery(ProducerEntity.ALL, ProducerEntity.class).getResultList().stream()
              .map(p -> new ProducerRecord(new ProducerId(p.id()), new TopicId(p.topicId())))
              .toList();
      List<ConsumerRecord> consumers =
          em.createNamedQuery(ConsumerEntity.ALL, ConsumerEntity.class).getResultList().stream()
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
                                  : TopicName.of(c.deadLetterTopic()))))
              .toList();
      Map<ConsumerId, List<Long>> acks = new HashMap<>();
      for (Object[] row : em.createNamedQuery(AckEntity.ALL, Object[].class).getResultList()) {
        acks.computeIfAbsent(new ConsumerId(((Number) row[0]).longValue()), c -> new ArrayList<>())
            .add(((Number) row[1]).longValue());
      }
      return new Snapshot(topics, producers, consumers, recentIds, acks);
    } catch (RuntimeException e) {
      throw new StoreException("Could not load the queue's state", e);
    }
  }

  private static long timeAt(EntityManager em, long topic, long offset) {
    return em.createNamedQuery(MessageEntity.TIME_AT, Long.class)
        .setParameter("topic", topic)
        .setParameter("offset", offset)
        .getSingleResult();
  }

  /**
   * The first offset below {@code end} whose message was appended at or after {@code time} ({@code
   * end} if none): a binary search by primary key, since times never decrease with the offset.
   * About 30 point reads for a billion messages, and no index on the time.
   */
  @Override
  public long firstAtOrAfter(TopicId topic, long end, long time) {
    try (EntityManager em = entityManager()) {
      return firstAtOrAfter(em, topic.value(), end, time);
    } catch (RuntimeException e) {
      throw new StoreException("Could not search topic " + topic + " by time", e);
    }
  }

  static long firstAtOrAfter(EntityManager em, long topic, long end, long time) {
    long low = 0;
    long high = end;
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (timeAt(em, topic, middle) < time) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
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
    } catch (RuntimeException e) {
      throw new StoreException("Commit failed", e);
    }
  }

  private static void write(EntityManager em, Changes changes) {
    // acknowledgements the floors passed, or a move dropped, go first: what is inserted below stays
    for (AckRecord acks : changes.acks()) {
      em.createNamedQuery(AckEntity.DELETE_BELOW)
          .setParameter("consumer", acks.consumer().value())
          .setParameter("floor", acks.resetAcks() ? Long.MAX_VALUE : acks.floor())
          .executeUpdate();
    }
    for (TopicRecord topic : changes.topics()) {
      em.persist(new TopicEntity(topic.id().value(), topic.name().value()));
    }
    if (!changes.topics().isEmpty()) {
      // producers and consumers refer to their topic: its row goes first
      em.flush();
    }
    for (ProducerRecord producer : changes.producers()) {
      em.persist(new ProducerEntity(producer.id().value(), producer.topic().value()));
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
              settings.deadLetterTopic() == null ? null : settings.deadLetterTopic().value()));
    }
    if (!changes.messages().isEmpty()) {
      // by JDBC, in this transaction (no foreign key: nothing of the entities needs writing first)
      try {
        MessageRows.insert(em.unwrap(Connection.class), changes.messages());
      } catch (SQLException e) {
        throw new StoreException("Could not insert " + changes.messages().size() + " messages", e);
      }
    }
    if (!changes.consumers().isEmpty()) {
      // acknowledgements and moves of this batch may be of consumers it registers
      em.flush();
    }
    for (ConsumerRecord move : changes.offsets()) {
      consumer(em, move.id()).moveTo(move.offset());
    }
    for (AckRecord acks : changes.acks()) {
      consumer(em, acks.consumer()).moveTo(acks.floor());
      for (long offset : acks.acked()) {
        em.persist(new AckEntity(acks.consumer().value(), offset));
      }
    }
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

  private synchronized EntityManagerFactory bootstrap() {
    if (factory != null) {
      return factory;
    }
    String database;
    try {
      database = Schema.apply(dataSource);
    } catch (SQLException e) {
      throw new StoreException("Could not apply the schema", e);
    }
    EntityManagerFactory created =
        Persistence.createEntityManagerFactory(
            UNIT,
            Map.of(
                PersistenceUnitProperties.ECLIPSELINK_PERSISTENCE_XML, UNIT_FILE,
                PersistenceUnitProperties.NON_JTA_DATASOURCE, dataSource));
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
