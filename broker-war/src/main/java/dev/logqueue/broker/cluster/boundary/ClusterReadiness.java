package dev.logqueue.broker.cluster.boundary;

import dev.logqueue.broker.cluster.control.Cluster;
import dev.logqueue.broker.cluster.control.Cluster.View;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * A cluster's member is ready once it sees a majority of the cluster, answers at its own URL (and
 * has published it to the others), and holds (claimed and loaded) the slots it should serve; the
 * queue's own check says whether its state is loaded. A single broker: always up here.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {

  @Inject Cluster cluster;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("logqueue-cluster");
    if (!cluster.isClustered()) {
      return response.up().withData("clustered", false).build();
    }
    View view = cluster.view();
    boolean settled = cluster.isSettled();
    response
        .status(view.problem() == null && settled)
        .withData("clustered", true)
        .withData("members_seen", view.members().size())
        .withData("published", cluster.isPublished())
        .withData("quorum", view.quorum())
        .withData("slots_held", view.held().size())
        .withData("settled", settled);
    if (view.problem() != null) {
      response.withData("problem", view.problem());
    }
    return response.build();
  }
}
