package dev.logqueue.broker.consumers.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;

/**
 * Consumers: register for a topic, then take its messages in order from their own offset. Consume
 * takes its parameters from the query string or a JSON body; POST is its synonym for clients that
 * cannot send a body with GET (and the safer form: a consume changes state).
 */
@ApplicationScoped
@Path("consumer")
public class ConsumersResource {

  @Inject LogQueueService queue;

  /** {@code {"topic": T}}; T must exist; the consumer starts at the beginning of T. */
  @POST
  @Path("register")
  public void register(byte[] body, @Suspended AsyncResponse async) {
    TopicName topic = JsonRequest.of(body).topic();
    Replies.answer(
        async,
        queue.registerConsumer(topic),
        id -> Replies.ok(Replies.success().add("consumer_id", id.value())));
  }

  /** {@code topic} and {@code consumer_id}, in the query string or a JSON body. */
  @GET
  @Path("consume")
  public void consume(@Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    JsonRequest request = JsonRequest.of(context);
    TopicName topic = request.topic();
    ConsumerId consumer = request.consumerId();
    Replies.answer(
        async,
        queue.consume(topic, consumer, 1, true),
        messages ->
            Replies.ok(
                Replies.success()
                    .add("message", messages.get(0))
                    .add("log_message", messages.get(0))));
  }

  @POST
  @Path("consume")
  public void consumeByPost(
      @Context ContainerRequestContext context, @Suspended AsyncResponse async) {
    consume(context, async);
  }
}
