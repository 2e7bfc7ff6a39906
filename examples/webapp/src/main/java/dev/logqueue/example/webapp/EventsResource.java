package dev.logqueue.example.webapp;

import dev.logqueue.sdk.LogQueueException;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import dev.logqueue.sdk.client.LogQueueApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Records events to a LogQueue topic with the injected {@link Producer}, reads them back with the
 * injected consumer, and lists the broker's topics with the injected typed client.
 */
@ApplicationScoped
@Path("events")
public class EventsResource {

  @Inject Producer producer;
  @Inject Inbox inbox;
  @Inject @RestClient LogQueueApi broker;

  @Inject
  @ConfigProperty(name = "example.topic")
  String topic;

  /** The body, as text, becomes a message; answered once the broker has committed it. */
  @POST
  @Consumes(MediaType.TEXT_PLAIN)
  public Response record(String event) {
    try {
      producer.send(topic, event);
      return Response.noContent().build();
    } catch (LogQueueException e) {
      return Response.status(Response.Status.BAD_GATEWAY).entity(e.getMessage()).build();
    }
  }

  /** The events not read yet, oldest first, as {@code [{"topic":..,"text":..}]}. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<Message> read(@QueryParam("max") @DefaultValue("100") int max) {
    return inbox.take(max);
  }

  @GET
  @Path("topics")
  @Produces(MediaType.APPLICATION_JSON)
  public List<String> topics() {
    return broker.topics().topics();
  }
}
