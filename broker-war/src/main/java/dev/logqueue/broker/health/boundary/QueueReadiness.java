package dev.logqueue.broker.health.boundary;

import dev.logqueue.broker.queue.control.QueueEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the state is restored, the committer takes requests and the database answers. */
@Readiness
@ApplicationScoped
public class QueueReadiness implements HealthCheck {

  @Inject QueueEngine queue;

  /** Set by payara-config/run.sh, which also lets GET carry a body. */
  @Inject
  @ConfigProperty(name = "logqueue.host")
  Optional<String> launchedByRunScript;

  @Override
  public HealthCheckResponse call() {
    boolean restored = queue.isReady();
    boolean database = queue.isStoreReachable();
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("logqueue")
            .status(restored && database)
            .withData("restored", restored)
            .withData("database", database);
    List<String> problems = queue.storeProblems();
    for (int i = 0; i < problems.size(); i++) {
      response.withData("database_problem" + (i == 0 ? "" : "_" + (i + 1)), problems.get(i));
    }
    if (launchedByRunScript.isEmpty()) {
      response.withData(
          "get_with_body",
          "not set up: this server was not started by payara-config/run.sh, and a stock Payara"
              + " refuses GET requests with a body (the original clients' consume and size): use"
              + " POST, or see README, Deploying the WAR elsewhere");
    }
    return response.build();
  }
}
