package dev.logqueue.broker.consumers.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.Partitions;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
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
import java.util.OptionalInt;

/** How many messages a consumer has not read yet. */
@ApplicationScoped
@Path("size")
public class SizeResource {

  @Inject Partitions partitions;
  @Inject Guard guard;

  /**
   * {@code topic} and {@code consumer_id}, in the query string or a JSON body; on a topic of
   * several partitions {@code partition} counts one (without it a single broker counts all).
   */
  @GET
  public void size(@Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(context);
    TopicName topic = request.topic();
    ConsumerId consumer = request.consumerId();
    OptionalInt partition = request.partition();
    Caller caller = guard.consumer(topic);
    Replies.answer(
        async,
        partitions.size(topic, consumer, partition, caller),
        size -> Replies.ok("size", size));
  }

  @POST
  public void sizeByPost(@Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    size(context, async);
  }
}
