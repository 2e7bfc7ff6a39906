package dev.logqueue.sdk.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.sdk.BrokerUnavailableException;
import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.ForbiddenException;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.NotAuthorizedException;
import dev.logqueue.sdk.Producer;
import dev.logqueue.sdk.Retry;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.TlsFiles;
import dev.logqueue.testkit.Tokens;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's builders against a broker with tokens and HTTPS only: a token and a trust store given
 * to the builder, a token renewed while the client is in use, and what each kind of refusal
 * becomes.
 */
class SecuredSdkIT {

  static TlsFiles tls;
  static Tokens tokens;
  static Broker broker;
  static String url;

  @BeforeAll
  static void start() {
    Path folder = Layout.scratch("secured-sdk");
    tls = TlsFiles.generate(folder);
    tokens = Tokens.generate(folder);
    broker = Broker.on(Database.h2()).settings(tokens.brokerSettings()).tls(tls).start();
    url = broker.uri().toString();
  }

  @AfterAll
  static void stop() {
    broker.stop();
  }

  static <B extends dev.logqueue.sdk.LogQueueClient.Builder<B, ?>> B trusting(B builder) {
    return builder.trustStore(tls.truststore(), tls.password().toCharArray());
  }

  @Test
  void aProducerAndAConsumerWithTokensOverHttps() {
    assertTrue(url.startsWith("https://"), url);
    String producing = tokens.token("shop", List.of("producer"), List.of("orders.*"));
    String consuming = tokens.token("billing", List.of("consumer"), List.of("orders.*"));
    try (Producer producer = trusting(Producer.builder(url)).token(producing).build()) {
      assertEquals(0, producer.send("orders.eu", "one"), "registers for it, creating it");
      assertEquals(1, producer.send("orders.eu", "two"));
      ForbiddenException refused =
          assertThrows(ForbiddenException.class, () -> producer.send("secret", "x"));
      assertEquals(403, refused.status());
    }
    try (Consumer consumer =
        trusting(Consumer.builder(url)).token(consuming).topics("orders.eu").build()) {
      List<Message> read = consumer.pollBatch(Duration.ofSeconds(5), 10);
      assertEquals(List.of("one", "two"), read.stream().map(Message::text).toList());
    }
  }

  @Test
  void withoutATokenOrWithAnExpiredOneTheBrokerRefusesAndARenewedOneWorks() {
    try (Producer anonymous = trusting(Producer.builder(url)).retry(Retry.NONE).build()) {
      NotAuthorizedException refused =
          assertThrows(NotAuthorizedException.class, () -> anonymous.send("orders.eu", "x"));
      assertEquals(401, refused.status());
    }
    AtomicReference<String> token =
        new AtomicReference<>(tokens.expired("shop", List.of("producer"), List.of("orders.*")));
    try (Producer renewing = trusting(Producer.builder(url)).token(token::get).build()) {
      assertThrows(NotAuthorizedException.class, () -> renewing.send("orders.renewed", "x"));
      token.set(tokens.token("shop", List.of("producer"), List.of("orders.*")));
      assertEquals(0, renewing.send("orders.renewed", "x"), "the next request takes the new token");
    }
  }

  @Test
  void aCertificateTheClientDoesNotTrustAndPlainHttpGetNothing() {
    String admin = tokens.token("ops", List.of("admin"), List.of());
    try (Producer untrusting = Producer.builder(url).token(admin).retry(Retry.NONE).build()) {
      BrokerUnavailableException failed =
          assertThrows(BrokerUnavailableException.class, untrusting::listTopics);
      assertTrue(
          String.valueOf(failed.getMessage()).toLowerCase().contains("certif")
              || String.valueOf(failed.getCause()).toLowerCase().contains("certif"),
          failed::toString);
    }
    Http plain = new Http(java.net.URI.create(url.replace("https://", "http://")));
    try {
      assertNotEquals(200, plain.get("status").status(), "no plain HTTP on the HTTPS port");
    } catch (UncheckedIOException closed) {
      // the TLS listener hung up on plain HTTP: nothing answered
    }
  }
}
