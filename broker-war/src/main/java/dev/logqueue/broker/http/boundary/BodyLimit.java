package dev.logqueue.broker.http.boundary;

import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request bodies over the configured size before they are read into memory: at once when
 * the Content-Length says so, else as soon as the stream passes the limit.
 */
@Provider
@PreMatching
public class BodyLimit implements ContainerRequestFilter {

  @Inject
  @ConfigProperty(name = "logqueue.request.max-bytes", defaultValue = "8388608")
  long maxBytes;

  @Override
  public void filter(ContainerRequestContext request) {
    int length = request.getLength();
    if (length > maxBytes) {
      throw tooLarge();
    }
    if (request.hasEntity()) {
      request.setEntityStream(new Bounded(request.getEntityStream()));
    }
  }

  private LogQueueException tooLarge() {
    return new LogQueueException(
        ErrorCode.MESSAGE_TOO_LARGE,
        "The request body is over the limit of " + maxBytes + " bytes");
  }

  private final class Bounded extends FilterInputStream {
    private long read;

    Bounded(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > maxBytes) {
        throw tooLarge();
      }
    }
  }
}
