package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Layout;
import dev.logqueue.testkit.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A thousand malformed, oversized and forged tokens against a broker that asks for tokens. */
class ForgedTokensIT {

  @Test
  void aThousandForgedTokensAreRefusedWithJsonAndTheBrokerKeepsServing() {
    Tokens tokens = Tokens.generate(Layout.scratch("forged-keys"));
    try (Broker broker = Broker.on(Database.h2()).settings(tokens.brokerSettings()).start()) {
      ForgedTokens forged = new ForgedTokens(broker.uri(), tokens, 11);
      HostileInput.Result result = forged.run(1_000);
      System.out.println(
          "Forged tokens: "
              + result
              + "; refused by the HTTP server itself (headers over its"
              + " buffer): "
              + forged.serverRefused());
      assertEquals(List.of(), result.examples(), "problems");
      assertTrue(result.clean(), result.toString());
    }
  }
}
