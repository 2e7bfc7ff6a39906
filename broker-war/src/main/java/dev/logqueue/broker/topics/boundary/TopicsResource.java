package dev.logqueue.broker.topics.boundary;

import dev.logqueue.broker.cluster.boundary.PartitionFanOut;
import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.control.Partitions;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.security.boundary.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Topics: create, list, look at one, change its retention, delete it or one of its consumers. Every
 * change is committed before its answer.
 */
@ApplicationScoped
@Path("topics")
public class TopicsResource {

  private static final String RETENTION_MS = "retention_ms";
  private static final String RETENTION_BYTES = "retention_bytes";
  private static final int BROWSE_MAX = 1000;
  private static final int BROWSE_DEFAULT = 100;

  @Inject LogQueueService queue;
  @Inject Partitions partitions;
  @Inject PartitionFanOut fanOut;
  @Inject Guard guard;

  /**
   * {@code {"name": T}} (or {@code topic_name}), optional {@code retention_ms} and {@code
   * retention_bytes} (0: without limit; absent or null: the broker's default) and {@code
   * partitions} (1 to 256, default 1); 409 {@code topic_exists} if T is taken.
   */
  @POST
  public void create(byte[] body, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(body);
    TopicName name = request.newTopic();
    guard.admin();
    Retention retention =
        new Retention(
            field(request, RETENTION_MS, Retention.DEFAULT),
            field(request, RETENTION_BYTES, Retention.DEFAULT));
    int count = request.integer("partitions", 1, Partition.MAX).orElse(1);
    Replies.answer(
        async,
        partitions.createTopic(name, retention, count),
        created -> Replies.ok("message", "Topic '" + name + "' created successfully"));
  }

  /**
   * Topic names in creation order; with {@code ?details=true} also each topic's details, as {@link
   * #details} gives them.
   */
  @GET
  public void list(@QueryParam("details") String details, @Suspended AsyncResponse async) {
    if (details == null || details.equals("false")) {
      List<TopicName> visible = guard.visible(queue.topics());
      async.resume(Replies.ok("topics", visible.stream().map(TopicName::value).toList()));
    } else if (details.equals("true")) {
      Caller caller = guard.caller();
      Replies.answer(
          async,
          queue.topicDetails(),
          topics ->
              Replies.topics(
                  topics.stream().filter(t -> caller.mayTouch(t.name())).toList(), true));
    } else {
      throw LogQueueException.badRequest("'details' is true or false, not '" + details + "'");
    }
  }

  /**
   * The topic's retained range, retention, producers and consumers, from memory; of a topic of
   * several partitions, partition 0's, or with {@code ?partition=P} that partition's.
   */
  @GET
  @Path("{name}")
  public void details(
      @PathParam("name") String name,
      @QueryParam("partition") String partition,
      @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    int number = partition(partition).orElse(0);
    guard.reader(topic);
    Replies.answer(async, partitions.topic(topic, number), Replies::topic);
  }

  /**
   * Reads messages without a consumer: {@code offset} (from there) or {@code timestamp} (from the
   * first appended at or after it) or neither (the newest), {@code max} of them (1 to 1000, default
   * 100), in the query string. Moves nothing, commits nothing.
   */
  @GET
  @Path("{name}/messages")
  public void browse(
      @PathParam("name") String name,
      @Context ContainerRequestContext context,
      @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    JsonRequest request = JsonRequest.of(context);
    OptionalLong offset = optional(request.whole("offset", 0, Long.MAX_VALUE));
    OptionalLong timestamp = optional(request.whole("timestamp", 0, Long.MAX_VALUE));
    int max = request.integer("max", 1, BROWSE_MAX).orElse(BROWSE_DEFAULT);
    int partition = request.partition().orElse(0);
    guard.consumer(topic);
    Replies.answer(
        async, partitions.browse(topic, partition, offset, timestamp, max), Replies::browsed);
  }

  private static OptionalLong optional(Optional<Long> value) {
    return value.map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  /**
   * {@code {"retention_ms":..,"retention_bytes":..}}: a field absent stays as it is, null returns
   * it to the broker's default. Answered as GET, once committed.
   */
  @PUT
  @Path("{name}")
  public void change(
      @PathParam("name") String name,
      @QueryParam("partition") String partition,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context UriInfo uri,
      byte[] body,
      @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    JsonRequest request = JsonRequest.of(body);
    OptionalInt number = partition(partition);
    guard.admin();
    if (!request.present(RETENTION_MS) && !request.present(RETENTION_BYTES)) {
      throw LogQueueException.badRequest(
          "Send 'retention_ms' or 'retention_bytes' (null: the broker's default)");
    }
    Retention change =
        new Retention(
            field(request, RETENTION_MS, Retention.UNCHANGED),
            field(request, RETENTION_BYTES, Retention.UNCHANGED));
    Replies.answer(
        async,
        eachPartitionFirst(topic, number, "PUT", uri, body, authorization)
            .thenCompose(done -> partitions.setRetention(topic, number, change)),
        Replies::topic);
  }

  /**
   * Deletes the topic, its producers, consumers and messages (committed before the answer); the
   * name may be created again, the ids are never issued again.
   */
  @DELETE
  @Path("{name}")
  public void delete(
      @PathParam("name") String name,
      @QueryParam("partition") String partition,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context UriInfo uri,
      @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    OptionalInt number = partition(partition);
    guard.admin();
    Replies.answer(
        async,
        eachPartitionFirst(topic, number, "DELETE", uri, null, authorization)
            .thenCompose(done -> partitions.deleteTopic(topic, number)),
        deleted -> Replies.ok());
  }

  /** Deletes a consumer of the topic (of all its partitions), committed before the answer. */
  @DELETE
  @Path("{name}/consumers/{id}")
  public void deleteConsumer(
      @PathParam("name") String name,
      @PathParam("id") String id,
      @QueryParam("partition") String partition,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context UriInfo uri,
      @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    ConsumerId consumer = new ConsumerId(JsonRequest.pathId("consumer id", id));
    OptionalInt number = partition(partition);
    Caller caller = guard.consumer(topic); // its owner, or an admin
    Replies.answer(
        async,
        eachPartitionFirst(topic, number, "DELETE", uri, null, authorization)
            .thenCompose(done -> partitions.deleteConsumer(topic, consumer, number, caller)),
        deleted -> Replies.ok());
  }

  /**
   * In a cluster, a change to a whole topic of several partitions goes first to the members that
   * serve its partitions above 0 (a single broker makes it to all partitions itself).
   */
  private CompletableFuture<Void> eachPartitionFirst(
      TopicName topic,
      OptionalInt partition,
      String method,
      UriInfo uri,
      byte[] body,
      String authorization) {
    if (partition.isPresent() || partitions.servesAll()) {
      return CompletableFuture.completedFuture(null);
    }
    Partitions.Layout layout = partitions.layout(topic);
    if (!layout.isPartitioned()) {
      return CompletableFuture.completedFuture(null);
    }
    return fanOut.toEach(
        layout.count(), method, uri.getRequestUri().getRawPath(), body, authorization);
  }

  /** {@code ?partition=P}, 0 to 255. */
  private static OptionalInt partition(String text) {
    return text == null ? OptionalInt.empty() : OptionalInt.of(Partition.parse(text));
  }

  /** A retention field: {@code absent} if it is not sent, the default if null, else 0 or more. */
  private static long field(JsonRequest request, String name, long absent) {
    if (!request.present(name)) {
      return absent;
    }
    if (request.isNull(name)) {
      return Retention.DEFAULT;
    }
    return request.whole(name, 0, Long.MAX_VALUE).orElseThrow();
  }
}
