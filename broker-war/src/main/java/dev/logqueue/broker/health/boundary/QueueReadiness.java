package dev.logqueue.broker.health.boundary;

import dev.logqueue.broker.queue.control.QueueEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the state is restored, the committer takes requests and the database answers. */
@Readiness
@ApplicationScoped
public class QueueReadiness implements HealthCheck {

  @Inject QueueEngine queue;

  @Override
  public HealthCheckResponse call() {
    boolean restored = queue.isReady();
    boolean database = queue.isStoreReachable();
    return HealthCheckResponse.named("logqueue")
        .status(restored && database)
        .withData("restored", restored)
        .withData("database", database)
        .build();
  }
}
