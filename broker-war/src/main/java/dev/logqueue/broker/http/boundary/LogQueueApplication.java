package dev.logqueue.broker.http.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The v1 HTTP API, at the root of the context. */
@ApplicationPath("/")
public class LogQueueApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    // no generated /application.wadl: the API is the contract in the README (and /openapi)
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
