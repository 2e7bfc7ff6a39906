package dev.logqueue.broker.topics.boundary;

import dev.logqueue.broker.http.boundary.JsonRequest;
import dev.logqueue.broker.http.boundary.Replies;
import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Response;

/** Creating and listing topics. */
@ApplicationScoped
@Path("topics")
public class TopicsResource {

  @Inject LogQueueService queue;

  /** {@code {"name": T}} (or {@code topic_name}); 409 {@code topic_exists} if T is taken. */
  @POST
  public void create(byte[] body, @Suspended AsyncResponse async) {
    TopicName name = JsonRequest.of(body).newTopic();
    Replies.answer(
        async,
        queue.createTopic(name),
        created -> Replies.ok("message", "Topic '" + name + "' created successfully"));
  }

  /** Topic names in creation order. */
  @GET
  public Response list() {
    return Replies.ok("topics", queue.topics().stream().map(TopicName::value).toList());
  }
}
