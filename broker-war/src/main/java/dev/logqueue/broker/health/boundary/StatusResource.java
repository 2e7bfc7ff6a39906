package dev.logqueue.broker.health.boundary;

import dev.logqueue.broker.http.boundary.Replies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** GET /status, as the original specification has it: the process answers. */
@ApplicationScoped
@Path("status")
public class StatusResource {

  @GET
  public Response status() {
    return Replies.ok();
  }
}
