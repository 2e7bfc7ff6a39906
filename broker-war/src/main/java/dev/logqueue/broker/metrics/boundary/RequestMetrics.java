package dev.logqueue.broker.metrics.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Times every request of the API, labelled by its method, its path as the API declares it ({@code
 * /topics/{name}}, never the topic itself: the series stay few) and its HTTP status. A path the API
 * does not have is labelled {@code unmatched}.
 */
@Provider
@PreMatching
@Priority(1) // first: also a request another filter refuses (a body over the limit) is timed
public class RequestMetrics implements ContainerRequestFilter, ContainerResponseFilter {

  static final String NAME = "logqueue.requests";

  private static final String STARTED = RequestMetrics.class.getName() + ".started";
  private static final Metadata METADATA =
      Metadata.builder()
          .withName(NAME)
          .withDescription(
              "HTTP requests of the API and how long the broker took to answer each, by method,"
                  + " path and status")
          .build();

  private record Key(String method, String path, int status) {}

  private final Map<Method, String> paths = new ConcurrentHashMap<>();
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  @Inject MetricRegistry registry;

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    request.setProperty(STARTED, System.nanoTime());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object started = request.getProperty(STARTED);
    if (started == null) {
      return;
    }
    long nanos = System.nanoTime() - (Long) started;
    Method method = resource.getResourceMethod();
    String path =
        method == null
            ? "unmatched"
            : paths.computeIfAbsent(method, m -> template(resource.getResourceClass(), m));
    Key key = new Key(request.getMethod(), path, response.getStatus());
    timers.computeIfAbsent(key, this::timer).update(Duration.ofNanos(nanos));
  }

  private Timer timer(Key key) {
    return registry.timer(
        METADATA,
        new Tag("method", key.method()),
        new Tag("path", key.path()),
        new Tag("status", Integer.toString(key.status())));
  }

  /** {@code /topics/{name}}: the resource's path and the method's. */
  static String template(Class<?> resource, Method method) {
    StringBuilder path = new StringBuilder();
    for (Path part :
        new Path[] {resource.getAnnotation(Path.class), method.getAnnotation(Path.class)}) {
      if (part != null) {
        for (String segment : part.value().split("/")) {
          if (!segment.isEmpty()) {
            path.append('/').append(segment);
          }
        }
      }
    }
    return path.isEmpty() ? "/" : path.toString();
  }
}
