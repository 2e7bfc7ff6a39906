package dev.logqueue.broker.consumers.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.security.boundary.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** How many messages a consumer has not read yet. */
@ApplicationScoped
@Path("size")
public class SizeResource {

  @Inject LogQueueService queue;
  @Inject Guard guard;

  /** {@code topic} and {@code consumer_id}, in the query string or a JSON body. */
  @GET
  public Response size(@Context ContainerRequestContext context) {
    JsonRequest request = JsonRequest.of(context);
    TopicName topic = request.topic();
    ConsumerId consumer = request.consumerId();
    long size = queue.size(topic, consumer, guard.consumer(topic));
    return Replies.ok("size", size);
  }

  @POST
  public Response sizeByPost(@Context ContainerRequestContext context) {
    return size(context);
  }
}
