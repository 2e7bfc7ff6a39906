package dev.logqueue.broker.http.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The HTTP API, at the root of the context. MicroProfile JWT is the authentication mechanism; the
 * Authentication filter asks for it only when tokens are configured.
 */
@ApplicationPath("/")
@ApplicationScoped // a bean: Payara's MicroProfile JWT looks for @LoginConfig on beans
@LoginConfig(authMethod = "MP-JWT", realmName = "logqueue")
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
