package dev.logqueue.broker.health.boundary;

import dev.logqueue.broker.queue.control.QueueEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the committer runs. A database outage does not make the broker dead: it recovers by
 * itself, and restarting it would not help.
 */
@Liveness
@ApplicationScoped
public class QueueLiveness implements HealthCheck {

  @Inject QueueEngine queue;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("logqueue-committer").status(queue.isRunning()).build();
  }
}
