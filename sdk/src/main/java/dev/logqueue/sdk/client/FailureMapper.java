package dev.logqueue.sdk.client;

import dev.logqueue.sdk.LogQueueException;
import dev.logqueue.sdk.client.Bodies.Failure;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns every failure answer (HTTP 400 and above) into the typed exception of its {@code error}
 * code, with the broker's message; an answer that is not the broker's JSON (a proxy's error page,
 * say) still becomes a {@link LogQueueException}, never a {@code WebApplicationException}.
 */
public class FailureMapper implements ResponseExceptionMapper<LogQueueException> {

  @Override
  public boolean handles(int status, MultivaluedMap<String, Object> headers) {
    return status >= 400;
  }

  @Override
  public LogQueueException toThrowable(Response response) {
    int status = response.getStatus();
    Failure failure = null;
    try {
      if (response.hasEntity()) {
        failure = response.readEntity(Failure.class);
      }
    } catch (ProcessingException | IllegalStateException e) {
      // not the broker's failure body
    }
    if (failure == null || failure.error() == null) {
      return LogQueueException.of(
          status, null, "HTTP " + status + " " + response.getStatusInfo().getReasonPhrase());
    }
    return LogQueueException.of(status, failure.error(), failure.message());
  }

  /** Lower than the default mapper's priority: this one decides. */
  @Override
  public int getPriority() {
    return 1000;
  }
}
