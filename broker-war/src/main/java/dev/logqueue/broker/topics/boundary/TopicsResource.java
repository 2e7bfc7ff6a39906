package dev.logqueue.broker.topics.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.security.boundary.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
  @Inject Guard guard;

  /**
   * {@code {"name": T}} (or {@code topic_name}), optional {@code retention_ms} and {@code
   * retention_bytes} (0: without limit; absent or null: the broker's default); 409 {@code
   * topic_exists} if T is taken.
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
    Replies.answer(
        async,
        queue.createTopic(name, retention),
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

  /** The topic's retained range, retention, producers and consumers, from memory. */
  @GET
  @Path("{name}")
  public void details(@PathParam("name") String name, @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    guard.reader(topic);
    Replies.answer(async, queue.topic(topic), Replies::topic);
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
    guard.consumer(topic);
    Replies.answer(async, queue.browse(topic, offset, timestamp, max), Replies::browsed);
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
  public void change(@PathParam("name") String name, byte[] body, @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    JsonRequest request = JsonRequest.of(body);
    guard.admin();
    if (!request.present(RETENTION_MS) && !request.present(RETENTION_BYTES)) {
      throw LogQueueException.badRequest(
          "Send 'retention_ms' or 'retention_bytes' (null: the broker's default)");
    }
    Retention change =
        new Retention(
            field(request, RETENTION_MS, Retention.UNCHANGED),
            field(request, RETENTION_BYTES, Retention.UNCHANGED));
    Replies.answer(async, queue.setRetention(topic, change), Replies::topic);
  }

  /**
   * Deletes the topic, its producers, consumers and messages (committed before the answer); the
   * name may be created again, the ids are never issued again.
   */
  @DELETE
  @Path("{name}")
  public void delete(@PathParam("name") String name, @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    guard.admin();
    Replies.answer(async, queue.deleteTopic(topic), deleted -> Replies.ok());
  }

  /** Deletes a consumer of the topic, committed before the answer. */
  @DELETE
  @Path("{name}/consumers/{id}")
  public void deleteConsumer(
      @PathParam("name") String name, @PathParam("id") String id, @Suspended AsyncResponse async) {
    TopicName topic = TopicName.of(name);
    ConsumerId consumer = new ConsumerId(JsonRequest.pathId("consumer id", id));
    Caller caller = guard.consumer(topic); // its owner, or an admin
    Replies.answer(async, queue.deleteConsumer(topic, consumer, caller), deleted -> Replies.ok());
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
