package dev.logqueue.broker.metrics.boundary;

import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.control.TopicDetails;
import dev.logqueue.broker.queue.control.TopicDetails.ConsumerDetails;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Each topic's and each consumer's series, labelled by topic (and consumer id and name): kept in
 * step with the queue by {@link #refresh()}, which reads every topic's details in one look, adds
 * the series of new topics and consumers, drops those of deleted ones (so their number stays that
 * of what exists), and moves the counters on by what the queue counted since. Gauges answer from
 * the last look.
 */
final class TopicSeries {

  private static final Logger LOG = System.getLogger(TopicSeries.class.getName());

  private record Series(String name, String help, boolean counter) {}

  private record TopicMeter(Series series, ToDoubleFunction<TopicDetails> value) {}

  private record ConsumerMeter(Series series, ToDoubleFunction<ConsumerDetails> value) {}

  private static final List<TopicMeter> TOPIC_METERS =
      List.of(
          new TopicMeter(
              gauge("logqueue.topic.end.offset", "The offset the topic's next message gets"),
              TopicDetails::end),
          new TopicMeter(
              gauge("logqueue.topic.retained.messages", "Messages the topic retains"),
              TopicDetails::messages),
          new TopicMeter(
              gauge("logqueue.topic.retained.bytes", "Bytes of UTF-8 of the messages it retains"),
              TopicDetails::bytes),
          new TopicMeter(
              gauge(
                  "logqueue.topic.oldest.age.seconds",
                  "How long ago its oldest retained message was appended (0: it holds none)"),
              TopicSeries::oldestAge),
          new TopicMeter(
              counter(
                  "logqueue.topic.appended.messages",
                  "Messages appended to the topic since the broker started"),
              TopicDetails::appendedMessages),
          new TopicMeter(
              counter(
                  "logqueue.topic.appended.bytes",
                  "Bytes of UTF-8 appended to the topic since the broker started"),
              TopicDetails::appendedBytes),
          new TopicMeter(
              counter(
                  "logqueue.topic.retention.removed",
                  "Messages the topic's retention removed since the broker started"),
              TopicDetails::retentionRemoved));

  private static final List<ConsumerMeter> CONSUMER_METERS =
      List.of(
          new ConsumerMeter(
              gauge(
                  "logqueue.consumer.lag.messages",
                  "Messages the consumer has not read (auto) or not settled (explicit) yet"),
              ConsumerDetails::lag),
          new ConsumerMeter(
              gauge(
                  "logqueue.consumer.lag.seconds",
                  "How long ago the oldest message it has not read or settled was appended (0:"
                      + " none)"),
              consumer -> consumer.lagMillis() / 1000.0),
          new ConsumerMeter(
              gauge("logqueue.consumer.leased", "Messages leased to it, not settled (explicit)"),
              ConsumerDetails::leased),
          new ConsumerMeter(
              counter(
                  "logqueue.consumer.acked",
                  "Messages it acknowledged since the broker started (explicit)"),
              ConsumerDetails::acked),
          new ConsumerMeter(
              counter(
                  "logqueue.consumer.redelivered",
                  "Messages given to it again, after a lease ended or a release (explicit)"),
              ConsumerDetails::redelivered),
          new ConsumerMeter(
              counter(
                  "logqueue.consumer.dead.lettered",
                  "Messages of it sent to its dead-letter topic (explicit)"),
              ConsumerDetails::deadLettered));

  private final MetricRegistry registry;
  private final LogQueueService queue;

  // the last look, read by the gauges from any thread
  private volatile Map<TopicId, TopicDetails> topics = Map.of();
  private volatile Map<ConsumerId, ConsumerDetails> consumers = Map.of();

  // the refreshing thread's alone: the labels of each registered series, and what each counter
  // was moved to
  private final Map<TopicId, Tag[]> topicTags = new HashMap<>();
  private final Map<ConsumerId, Tag[]> consumerTags = new HashMap<>();
  private final Map<MetricID, Long> counted = new HashMap<>();

  TopicSeries(MetricRegistry registry, LogQueueService queue) {
    this.registry = registry;
    this.queue = queue;
  }

  private static Series gauge(String name, String help) {
    return new Series(name, help, false);
  }

  private static Series counter(String name, String help) {
    return new Series(name, help, true);
  }

  private static double oldestAge(TopicDetails topic) {
    return topic.messages() == 0
        ? 0
        : Math.max(0, System.currentTimeMillis() - topic.oldestTimestamp()) / 1000.0;
  }

  /** Looks at the queue once and brings the series in step; false if the queue did not answer. */
  boolean refresh() throws InterruptedException {
    List<TopicDetails> now;
    try {
      now = queue.topicDetails(true).get(10, TimeUnit.SECONDS);
    } catch (LogQueueException | ExecutionException | TimeoutException e) {
      LOG.log(Level.DEBUG, "Metrics could not read the topics now", e);
      return false; // the series keep their last values; the next look tries again
    }
    Map<TopicId, TopicDetails> byTopic = new HashMap<>();
    Map<ConsumerId, ConsumerDetails> byConsumer = new HashMap<>();
    Map<ConsumerId, TopicDetails> topicOf = new HashMap<>();
    for (TopicDetails topic : now) {
      byTopic.put(topic.id(), topic);
      for (ConsumerDetails consumer : topic.consumers()) {
        byConsumer.put(consumer.id(), consumer);
        topicOf.put(consumer.id(), topic);
      }
    }
    topics = byTopic;
    consumers = byConsumer;
    // gone first: a topic deleted and created again under its name has the same labels
    for (ConsumerId gone : minus(consumerTags.keySet(), byConsumer.keySet())) {
      CONSUMER_METERS.forEach(meter -> remove(meter.series(), consumerTags.get(gone)));
      consumerTags.remove(gone);
    }
    for (TopicId gone : minus(topicTags.keySet(), byTopic.keySet())) {
      TOPIC_METERS.forEach(meter -> remove(meter.series(), topicTags.get(gone)));
      topicTags.remove(gone);
    }
    for (TopicDetails topic : now) {
      Tag[] tags = topicTags.computeIfAbsent(topic.id(), id -> register(id, label(topic)));
      for (TopicMeter meter : TOPIC_METERS) {
        if (meter.series().counter()) {
          advance(meter.series(), tags, (long) meter.value().applyAsDouble(topic));
        }
      }
    }
    for (ConsumerDetails consumer : byConsumer.values()) {
      Tag[] tags =
          consumerTags.computeIfAbsent(
              consumer.id(), id -> register(id, consumer, label(topicOf.get(id))));
      for (ConsumerMeter meter : CONSUMER_METERS) {
        if (meter.series().counter()) {
          advance(meter.series(), tags, (long) meter.value().applyAsDouble(consumer));
        }
      }
    }
    return true;
  }

  /** A topic's label: its name; a partition's above 0, {@code topic#partition}. */
  private static String label(TopicDetails topic) {
    TopicName name = topic.name();
    return Partition.isLog(name)
        ? Partition.topicOf(name).value() + "#" + Partition.numberOf(name)
        : name.value();
  }

  private Tag[] register(TopicId id, String name) {
    Tag[] tags = {new Tag("topic", name)};
    for (TopicMeter meter : TOPIC_METERS) {
      if (!meter.series().counter()) {
        registry.gauge(
            metadata(meter.series()),
            () -> {
              TopicDetails topic = topics.get(id);
              return topic == null ? 0 : meter.value().applyAsDouble(topic);
            },
            tags);
      }
    }
    return tags;
  }

  private Tag[] register(ConsumerId id, ConsumerDetails consumer, String topic) {
    Tag[] tags = {
      new Tag("topic", topic),
      new Tag("consumer", Long.toString(Partition.consumerOf(id).value())),
      new Tag("consumer_name", consumer.name() == null ? "" : consumer.name())
    };
    for (ConsumerMeter meter : CONSUMER_METERS) {
      if (!meter.series().counter()) {
        registry.gauge(
            metadata(meter.series()),
            () -> {
              ConsumerDetails now = consumers.get(id);
              return now == null ? 0 : meter.value().applyAsDouble(now);
            },
            tags);
      }
    }
    return tags;
  }

  /** Moves a counter on to what the queue counted (a count never goes back for one series). */
  private void advance(Series series, Tag[] tags, long value) {
    MetricID id = new MetricID(series.name(), tags);
    Counter counter = registry.counter(metadata(series), tags);
    long before = counted.getOrDefault(id, 0L);
    if (value > before) {
      counter.inc(value - before);
      counted.put(id, value);
    }
  }

  private void remove(Series series, Tag[] tags) {
    MetricID id = new MetricID(series.name(), tags);
    registry.remove(id);
    counted.remove(id);
  }

  private static Metadata metadata(Series series) {
    return Metadata.builder().withName(series.name()).withDescription(series.help()).build();
  }

  private static <T> Set<T> minus(Set<T> all, Set<T> kept) {
    Set<T> gone = new HashSet<>(all);
    gone.removeAll(kept);
    return gone;
  }
}
