package dev.logqueue.broker.consumers.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.AckRequest;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.control.Partitions;
import dev.logqueue.broker.queue.control.Partitions.Gathered;
import dev.logqueue.broker.queue.control.QueueSettings;
import dev.logqueue.broker.queue.control.Start;
import dev.logqueue.broker.queue.control.Taken;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.security.boundary.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Consumers: register for a topic, then take its messages in order. Consume takes its parameters
 * from the query string or a JSON body; POST is its synonym for clients that cannot send a body
 * with GET (and the safer form: a consume changes state). Explicit consumers settle what they took
 * with ack (or with their next consume), and any consumer can be moved with seek.
 */
@ApplicationScoped
@Path("consumer")
public class ConsumersResource {

  @Inject LogQueueService queue;
  @Inject Partitions partitions;
  @Inject Guard guard;

  /**
   * {@code {"topic": T}}; T must exist. Optional: {@code name} (durable), {@code start}, {@code
   * ack}, {@code lease_ms}, {@code max_deliveries} with {@code dead_letter_topic}.
   */
  @POST
  @Path("register")
  public void register(byte[] body, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(body);
    TopicName topic = request.topic();
    ConsumerSettings settings = ConsumerFields.settings(request);
    Start start = ConsumerFields.start(request);
    Caller caller = guard.consumer(topic);
    if (settings.deadLetterTopic() != null) {
      guard.topic(caller, settings.deadLetterTopic()); // its dead letters are written there
    }
    Replies.answer(
        async,
        queue.registerConsumer(topic, settings, start, caller),
        registered -> Replies.registered(registered, partitions.layout(topic).count()));
  }

  /**
   * {@code topic} and {@code consumer_id}, in the query string or a JSON body. With {@code max} (1
   * to 1000) the answer is a batch, {@code {"messages": [...]}}, empty when there is nothing to
   * read; with {@code wait_ms} (0 to 30000) it waits that long for a message to arrive instead of
   * answering empty (or queue_empty) at once. An explicit consumer's answer is {@code records}
   * leased until {@code lease_until}; its request may settle earlier ones first ({@code offsets},
   * {@code ack_until}, ...). On a topic of several partitions, {@code partition} reads one (and
   * names the partition of what it settles); without it a single broker reads them all in turn, and
   * each record has its {@code partition} (a batch its {@code partitions}).
   */
  @GET
  @Path("consume")
  public void consume(@Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(context);
    TopicName topic = request.topic();
    ConsumerId consumer = request.consumerId();
    Optional<Integer> max = request.integer("max", 1, QueueSettings.CONSUME_MAX_MESSAGES);
    int waitMillis =
        request.integer("wait_ms", 0, (int) QueueSettings.CONSUME_MAX_WAIT.toMillis()).orElse(0);
    AckRequest settle = ConsumerFields.acks(request);
    OptionalInt partition = request.partition();
    Duration wait = Duration.ofMillis(waitMillis);
    Caller caller = guard.consumer(topic);
    CompletableFuture<Gathered> taken =
        partitions.consume(topic, consumer, partition, max.orElse(1), wait, settle, caller);
    Replies.answer(
        async, taken, wait, answer -> consumed(answer, max.isPresent(), topic, consumer));
  }

  /**
   * The answer's shape: records (explicit), a batch, or v1's one message (queue_empty if none); of
   * a topic of one partition, exactly as v1 and v2 have it.
   */
  private static Response consumed(
      Gathered gathered, boolean batch, TopicName topic, ConsumerId consumer) {
    if (!gathered.partitioned()) {
      Taken taken = gathered.parts().get(0).taken();
      if (taken.explicit()) {
        return Replies.records(taken);
      }
      if (batch) {
        return Replies.messages(taken);
      }
    } else if (gathered.explicit()) {
      return Replies.records(gathered);
    } else if (batch) {
      return Replies.messages(gathered);
    }
    if (gathered.isEmpty()) {
      throw LogQueueException.queueEmpty(consumer, topic);
    }
    return Replies.message(gathered.records().get(0).message().text(), gathered.skipped());
  }

  @POST
  @Path("consume")
  public void consumeByPost(
      @Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    consume(context, async);
  }

  /**
   * {@code {"topic","consumer_id","offsets":[...],"ack_until":N,"release":[...],"extend":[...],
   * "reject":[...],"delay_ms":D}}: settles an explicit consumer's leased messages, all or none,
   * committed before the answer.
   */
  @POST
  @Path("ack")
  public void ack(byte[] body, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(body);
    TopicName topic = request.topic();
    ConsumerId consumer = request.consumerId();
    AckRequest acks = ConsumerFields.acks(request);
    OptionalInt partition = request.partition();
    Caller caller = guard.consumer(topic);
    Replies.answer(async, partitions.ack(topic, consumer, partition, acks, caller), Replies::acked);
  }

  /**
   * {@code {"topic","consumer_id","offset":N}} or {@code "timestamp":T}: moves the consumer there,
   * committed before the answer {@code {"offset":N}}. On a topic of several partitions, {@code
   * partition} moves it on one; without it a single broker moves it on each, and answers {@code
   * {"offsets":[...]}} by partition.
   */
  @POST
  @Path("seek")
  public void seek(byte[] body, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(body);
    TopicName topic = request.topic();
    ConsumerId consumer = request.consumerId();
    OptionalLong offset = optional(request.whole("offset", 0, Long.MAX_VALUE));
    OptionalLong timestamp = optional(request.whole("timestamp", 0, Long.MAX_VALUE));
    OptionalInt partition = request.partition();
    Caller caller = guard.consumer(topic);
    Replies.answer(
        async,
        partitions.seek(topic, consumer, partition, offset, timestamp, caller),
        at -> at.size() == 1 ? Replies.ok("offset", at.get(0)) : Replies.offsets(at));
  }

  private static OptionalLong optional(Optional<Long> value) {
    return value.map(OptionalLong::of).orElse(OptionalLong.empty());
  }
}
