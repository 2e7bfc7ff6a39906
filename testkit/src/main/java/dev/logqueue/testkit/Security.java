package dev.logqueue.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A suite run with authentication and TLS on ({@code -Dlogqueue.it.secure=true}): every broker the
 * testkit starts then listens on HTTPS only, with a throwaway certificate ({@link TlsFiles}) and a
 * throwaway signing key for tokens ({@link Tokens}); this JVM trusts that certificate and every
 * client sends an admin token ({@code logqueue.token}, which the SDK reads from MicroProfile
 * Config).
 */
public final class Security {

  private static Security current;

  private final Tokens tokens;
  private final TlsFiles tls;
  private final String adminToken;

  private Security(Tokens tokens, TlsFiles tls) {
    this.tokens = tokens;
    this.tls = tls;
    this.adminToken = tokens.token("suite-admin", List.of("admin"), List.of("*"));
  }

  public static boolean enabled() {
    return Boolean.getBoolean("logqueue.it.secure");
  }

  /**
   * The suite's keys, made at first use; their trust store and token set for this JVM (before any
   * TLS connection is made). Null when the suite runs without security.
   */
  public static synchronized Security get() {
    if (!enabled()) {
      return null;
    }
    if (current == null) {
      Path folder = Layout.scratch("security");
      TlsFiles tls = TlsFiles.generate(folder);
      System.setProperty("javax.net.ssl.trustStore", tls.truststore().toString());
      System.setProperty("javax.net.ssl.trustStorePassword", tls.password());
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      current = new Security(Tokens.generate(folder), tls);
      System.setProperty("logqueue.token", current.adminToken);
    }
    return current;
  }

  public Tokens tokens() {
    return tokens;
  }

  /** A token with every right, which the suite's clients send. */
  public String adminToken() {
    return adminToken;
  }

  /** A broker's settings: tokens, and HTTPS on its port instead of HTTP. */
  Map<String, String> brokerSettings(int port) {
    Map<String, String> settings = new HashMap<>(tokens.brokerSettings());
    settings.putAll(tls.brokerSettings(port));
    return settings;
  }
}
