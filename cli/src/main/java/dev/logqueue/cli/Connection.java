package dev.logqueue.cli;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.LogQueueClient;
import dev.logqueue.sdk.Producer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the command line reaches the broker: its URL ({@code --broker}, {@code $LOGQUEUE_URL}), a
 * bearer token ({@code --token}, {@code $LOGQUEUE_TOKEN}) and, for https with a private
 * certificate, a trust store ({@code --truststore}, {@code $LOGQUEUE_TRUSTSTORE}, its password in
 * {@code $LOGQUEUE_TRUSTSTORE_PASSWORD}).
 */
record Connection(String broker, Optional<String> token, Optional<Path> trustStore) {

  static Connection of(CommandLine line) {
    return new Connection(
        line.option("--broker")
            .orElse(System.getenv().getOrDefault("LOGQUEUE_URL", "http://localhost:8080")),
        line.option("--token").or(() -> Optional.ofNullable(System.getenv("LOGQUEUE_TOKEN"))),
        line.option("--truststore")
            .or(() -> Optional.ofNullable(System.getenv("LOGQUEUE_TRUSTSTORE")))
            .map(Path::of));
  }

  Producer.Builder producer() {
    return configure(Producer.builder(broker));
  }

  Consumer.Builder consumer() {
    return configure(Consumer.builder(broker));
  }

  private <B extends LogQueueClient.Builder<B, ?>> B configure(B builder) {
    token.ifPresent(builder::token);
    trustStore.ifPresent(
        file ->
            builder.trustStore(
                file,
                System.getenv().getOrDefault("LOGQUEUE_TRUSTSTORE_PASSWORD", "").toCharArray()));
    return builder;
  }
}
