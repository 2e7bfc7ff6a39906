package dev.logqueue.broker.consumers.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
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

  /** {@code topic} and {@code consumer_id}, in the query string or a JSON body. */
  @GET
  public Response size(@Context ContainerRequestContext context) {
    JsonRequest request = JsonRequest.of(context);
    long size = queue.size(request.topic(), request.consumerId());
    return Replies.ok("size", size);
  }

  @POST
  public Response sizeByPost(@Context ContainerRequestContext context) {
    return size(context);
  }
}
