package dev.logqueue.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A suite run with authentication and TLS on ({@code -Dlogqueue.it.secure=true}): every broker the
 * testkit starts then listens on HTTPS only, with a throwaway certificate (keytool, at test time)
 * and a throwaway signing key for tokens; this JVM trusts that certificate and every client sends
 * an admin token ({@code logqueue.token}, which the SDK reads from MicroProfile Config).
 */
public final class Security {

  /** The password of the throwaway keystore and trust store. */
  static final String PASSWORD = "throwaway";

  private static Security current;

  private final Tokens tokens;
  private final Path keystore;
  private final String adminToken;

  private Security(Tokens tokens, Path keystore) {
    this.tokens = tokens;
    this.keystore = keystore;
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
      Path keystore = folder.resolve("broker.p12");
      Path certificate = folder.resolve("broker.crt");
      Path trust = folder.resolve("trust.p12");
      keytool(
          "-genkeypair",
          "-alias",
          "logqueue",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-dname",
          "CN=localhost",
          "-ext",
          "SAN=dns:localhost,ip:127.0.0.1",
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          keystore.toString(),
          "-storepass",
          PASSWORD,
          "-keypass",
          PASSWORD);
      keytool(
          "-exportcert",
          "-alias",
          "logqueue",
          "-keystore",
          keystore.toString(),
          "-storepass",
          PASSWORD,
          "-rfc",
          "-file",
          certificate.toString());
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          "logqueue",
          "-file",
          certificate.toString(),
          "-storetype",
          "PKCS12",
          "-keystore",
          trust.toString(),
          "-storepass",
          PASSWORD);
      System.setProperty("javax.net.ssl.trustStore", trust.toString());
      System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      current = new Security(Tokens.generate(folder), keystore);
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
    settings.put("LOGQUEUE_TLS_KEYSTORE", keystore.toString());
    settings.put("LOGQUEUE_TLS_KEYSTORE_PASSWORD", PASSWORD);
    settings.put("LOGQUEUE_TLS_PORT", Integer.toString(port));
    settings.put("LOGQUEUE_HTTP", "off");
    return settings;
  }

  private static void keytool(String... arguments) {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
