package dev.logqueue.broker.store.control;

import dev.logqueue.broker.queue.control.LogStore;
import dev.logqueue.broker.queue.control.StoreException;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.store.entity.ConsumerEntity;
import dev.logqueue.broker.store.entity.MessageEntity;
import dev.logqueue.broker.store.entity.ProducerEntity;
import dev.logqueue.broker.store.entity.TopicEntity;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The log of record in the application's default datasource: the embedded H2 by default, PostgreSQL
 * when the datasource is pointed there (see payara-config/).
 */
@ApplicationScoped
public class JpaLogStore implements LogStore {

  @PersistenceContext(unitName = "logqueue")
  EntityManager em;

  @Inject UserTransaction transaction;

  @Resource(lookup = "java:comp/DefaultDataSource")
  DataSource dataSource;

  @Inject
  @ConfigProperty(name = "logqueue.commit.transaction-timeout-seconds", defaultValue = "15")
  int transactionTimeoutSeconds;

  @Override
  public Snapshot load() {
    try {
      List<TopicRecord> topics = new ArrayList<>();
      for (TopicEntity topic :
          em.createNamedQuery(TopicEntity.ALL, TopicEntity.class).getResultList()) {
        Long last =
            em.createNamedQuery(MessageEntity.END, Long.class)
                .setParameter("topic", topic.id())
                .getSingleResult();
        topics.add(
            new TopicRecord(
                new TopicId(topic.id()), TopicName.of(topic.name()), last == null ? 0 : last + 1));
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
                          new ConsumerId(c.id()), new TopicId(c.topicId()), c.nextOffset()))
              .toList();
      return new Snapshot(topics, producers, consumers);
    } catch (RuntimeException e) {
      throw new StoreException("Could not load the queue's state", e);
    }
  }

  @Override
  public void commit(Changes changes) {
    try {
      transaction.setTransactionTimeout(transactionTimeoutSeconds);
      transaction.begin();
      try {
        write(changes);
        transaction.commit();
      } catch (Exception e) {
        rollback();
        throw e;
      }
    } catch (Exception e) {
      throw new StoreException("Commit failed", e);
    }
  }

  private void write(Changes changes) {
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
      em.persist(
          new ConsumerEntity(consumer.id().value(), consumer.topic().value(), consumer.offset()));
    }
    for (MessageRecord message : changes.messages()) {
      em.persist(
          new MessageEntity(
              message.topic().value(),
              message.offset(),
              message.producer().value(),
              message.text().getBytes(StandardCharsets.UTF_8)));
    }
    for (ConsumerRecord move : changes.offsets()) {
      ConsumerEntity consumer = em.find(ConsumerEntity.class, move.id().value());
      if (consumer == null) {
        throw new IllegalStateException("Consumer " + move.id() + " is not in the store");
      }
      consumer.moveTo(move.offset());
    }
  }

  private void rollback() {
    try {
      if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
        transaction.rollback();
      }
    } catch (SystemException | IllegalStateException | SecurityException e) {
      // the transaction is gone either way; the commit's own failure is what matters
    }
  }

  @Override
  public List<String> read(TopicId topic, long fromOffset, int max) {
    try {
      List<byte[]> payloads =
          em.createNamedQuery(MessageEntity.RANGE, byte[].class)
              .setParameter("topic", topic.value())
              .setParameter("from", fromOffset)
              .setParameter("until", fromOffset + max)
              .getResultList();
      List<String> texts = new ArrayList<>(payloads.size());
      for (byte[] payload : payloads) {
        texts.add(new String(payload, StandardCharsets.UTF_8));
      }
      return texts;
    } catch (RuntimeException e) {
      throw new StoreException("Could not read messages of topic " + topic, e);
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
