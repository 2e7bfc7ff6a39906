package dev.logqueue.broker.http.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The v1 HTTP API, at the root of the context. */
@ApplicationPath("/")
public class LogQueueApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        // no generated /application.wadl: the API is the contract in the README (and /openapi)
        "jersey.config.server.wadl.disableWadl",
        true,
        // no 8 KiB buffer per response to find its length: the broker's answers carry theirs
        // (Replies.json); another answer goes out chunked
        "jersey.config.server.contentLength.buffer",
        0);
  }
}
