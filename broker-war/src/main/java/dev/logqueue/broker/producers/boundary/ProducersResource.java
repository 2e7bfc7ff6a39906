package dev.logqueue.broker.producers.boundary;

import dev.logqueue.broker.cluster.boundary.Forwarder;
import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.control.Partitions;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.security.boundary.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Producers: register for a topic, then append messages to it. */
@ApplicationScoped
@Path("producer")
public class ProducersResource {

  @Inject LogQueueService queue;
  @Inject Partitions partitions;
  @Inject Guard guard;

  /**
   * {@code {"topic": T}}; creates T if it does not exist. The answer has the {@code producer_id},
   * and {@code partitions} if T has more than one.
   */
  @POST
  @Path("register")
  public void register(byte[] body, @Suspended AsyncResponse async) {
    TopicName topic = JsonRequest.of(body).topic();
    Caller caller = guard.producer(topic);
    Replies.answer(
        async,
        queue.registerProducer(topic, caller),
        id -> Replies.registered(id, partitions.layout(topic).count()));
  }

  /**
   * {@code {"topic": T, "producer_id": P, "message": M}}, or {@code "messages": [M1, M2, ...]}
   * appended in order, all or none; answered once committed to the database, with where each
   * message went. An optional {@code message_id} ({@code message_ids} for a batch) makes a retry
   * safe: an id the topic appended within the dedup window is not stored again. On a topic of
   * several partitions, {@code partition} names the partition, or {@code key} picks it (the same
   * key, the same partition); with neither they take turns. The answer has the {@code partition}
   * when the request named one or a key, or the topic has several.
   */
  @POST
  @Path("produce")
  public void produce(
      byte[] body,
      @HeaderParam(Forwarder.PARTITION) String chosen,
      @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(body);
    TopicName topic = request.topic();
    ProducerId producer = request.producerId();
    List<String> messages = request.messages();
    List<MessageId> ids = request.messageIds();
    boolean batch = request.isBatch();
    OptionalInt partition = request.partition(chosen);
    Optional<String> key = request.optionalText("key");
    Caller caller = guard.producer(topic);
    boolean named = partition.isPresent() || key.isPresent();
    Replies.answer(
        async,
        partitions.produce(topic, partition, key, producer, messages, ids, caller),
        produced ->
            named || produced.partitioned()
                ? Replies.appended(produced, batch)
                : Replies.appended(produced.appended(), batch));
  }
}
