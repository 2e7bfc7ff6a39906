package dev.logqueue.sdk.client;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Sends {@code Authorization: Bearer <token>} with every request of a client built with a token
 * (the facades' builders); the supplier is asked each time, so a token can be renewed.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerToken implements ClientRequestFilter {

  private final Supplier<String> token;

  public BearerToken(Supplier<String> token) {
    this.token = Objects.requireNonNull(token);
  }

  @Override
  public void filter(ClientRequestContext request) {
    String value = token.get();
    if (value != null
        && !value.isBlank()
        && !request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
      request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + value.strip());
    }
  }
}
