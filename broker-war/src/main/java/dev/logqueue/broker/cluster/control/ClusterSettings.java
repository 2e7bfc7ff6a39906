package dev.logqueue.broker.cluster.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * A cluster's settings, from MicroProfile Config (environment variables in upper case):
 *
 * <ul>
 *   <li>{@code LOGQUEUE_CLUSTER_MEMBERS}: the data grid's addresses of the members, {@code
 *       host:port,host:port,...}; set, the broker is a member of a cluster (payara-config/run.sh
 *       passes them to Payara's data grid);
 *   <li>{@code LOGQUEUE_CLUSTER_SIZE}: how many members the cluster has when whole (default: as
 *       many as listed); a member serves only while it sees a majority of them;
 *   <li>{@code LOGQUEUE_ADVERTISE_URL}: the URL the other members forward requests to (default
 *       {@code http://LOGQUEUE_HOST:LOGQUEUE_PORT}).
 * </ul>
 */
@ApplicationScoped
public class ClusterSettings {

  @Inject Config config;

  private boolean clustered;
  private int size;
  private String advertisedUrl;

  @PostConstruct
  void read() {
    Optional<String> members =
        config
            .getOptionalValue("logqueue.cluster.members", String.class)
            .map(String::strip)
            .filter(m -> !m.isEmpty());
    clustered = members.isPresent();
    int listed =
        members
            .map(m -> (int) Arrays.stream(m.split(",")).filter(s -> !s.isBlank()).count())
            .orElse(1);
    size = config.getOptionalValue("logqueue.cluster.size", Integer.class).orElse(listed);
    if (size < 1) {
      throw new IllegalArgumentException("LOGQUEUE_CLUSTER_SIZE must be 1 or more, not " + size);
    }
    String host = config.getOptionalValue("logqueue.host", String.class).orElse("127.0.0.1");
    int port = config.getOptionalValue("logqueue.port", Integer.class).orElse(8080);
    advertisedUrl =
        config
            .getOptionalValue("logqueue.advertise.url", String.class)
            .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
            .orElse("http://" + host + ":" + port);
  }

  public boolean isClustered() {
    return clustered;
  }

  /** The members of the whole cluster. */
  public int size() {
    return size;
  }

  /** A majority of {@link #size()}: fewer members seen, and a member serves nothing. */
  public int quorum() {
    return size / 2 + 1;
  }

  /** Where the other members reach this one, without a trailing slash. */
  public String advertisedUrl() {
    return advertisedUrl;
  }
}
