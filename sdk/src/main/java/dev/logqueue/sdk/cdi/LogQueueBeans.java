package dev.logqueue.sdk.cdi;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Producer;
import dev.logqueue.sdk.client.LogQueueApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Makes the facades injectable in a Jakarta EE / MicroProfile application, over the server's own
 * REST client, configured by MicroProfile Config:
 *
 * <pre>
 * logqueue/mp-rest/url=http://broker:8080      the broker
 * logqueue.brokers=http://a:8080,http://b:8080 or the members of a cluster (instead): requests go
 *                                             to them in turn, around a member that is down
 * logqueue.producer.topics=logs,metrics       topics the injected Producer registers for
 * logqueue.consumer.topics=logs               topics an injected Consumer registers for
 * </pre>
 *
 * The {@link Producer} is one per application (it is thread-safe); each injected {@link Consumer}
 * is its own (consumers are not thread-safe). Both register at their first use, not at boot.
 */
@ApplicationScoped
public class LogQueueBeans {

  @Inject @RestClient LogQueueApi api;

  @Inject Config config;

  @Produces
  @ApplicationScoped
  Producer producer() {
    Producer.Builder builder =
        brokers().map(Producer::builder).orElseGet(() -> Producer.builder(api));
    return builder.topics(topics("logqueue.producer.topics")).build();
  }

  void close(@Disposes Producer producer) {
    producer.close();
  }

  @Produces
  @Dependent
  Consumer consumer() {
    Consumer.Builder builder =
        brokers().map(Consumer::builder).orElseGet(() -> Consumer.builder(api));
    return builder.topics(topics("logqueue.consumer.topics")).build();
  }

  void close(@Disposes Consumer consumer) {
    consumer.close();
  }

  private Optional<List<URI>> brokers() {
    return config
        .getOptionalValues("logqueue.brokers", String.class)
        .map(urls -> urls.stream().map(String::strip).map(URI::create).toList());
  }

  private List<String> topics(String key) {
    return config.getOptionalValues(key, String.class).orElse(List.of());
  }
}
