package dev.logqueue.sdk.client;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The bearer token of an injected client, from MicroProfile Config ({@code logqueue.token}, or the
 * environment's {@code LOGQUEUE_TOKEN}), read at every request; nothing when it is not set, or when
 * the request carries a token already (a builder's {@link BearerToken}).
 */
@Priority(Priorities.AUTHENTICATION + 1)
public final class ConfiguredToken implements ClientRequestFilter {

  @Override
  public void filter(ClientRequestContext request) {
    if (request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
      return;
    }
    Optional<String> token;
    try {
      token = ConfigProvider.getConfig().getOptionalValue("logqueue.token", String.class);
    } catch (IllegalStateException e) {
      return; // no MicroProfile Config implementation: nothing configured
    }
    token
        .filter(value -> !value.isBlank())
        .ifPresent(
            value ->
                request
                    .getHeaders()
                    .putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + value.strip()));
  }
}
