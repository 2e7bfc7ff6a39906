package dev.logqueue.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway TLS key and self-signed certificate for localhost and 127.0.0.1, made at test time by
 * the JDK's keytool (never committed): the broker's PKCS12 keystore, and a trust store that holds
 * only that certificate, both with one password.
 */
public record TlsFiles(Path keystore, Path truststore, String password) {

  public static TlsFiles generate(Path folder) {
    Path keystore = folder.resolve("broker.p12");
    Path certificate = folder.resolve("broker.crt");
    Path truststore = folder.resolve("trust.p12");
    String password = "throwaway";
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
        password,
        "-keypass",
        password);
    keytool(
        "-exportcert",
        "-alias",
        "logqueue",
        "-keystore",
        keystore.toString(),
        "-storepass",
        password,
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
        truststore.toString(),
        "-storepass",
        password);
    return new TlsFiles(keystore, truststore, password);
  }

  /** A broker's settings: HTTPS on {@code port} with this keystore, and no HTTP. */
  public Map<String, String> brokerSettings(int port) {
    return Map.of(
        "LOGQUEUE_TLS_KEYSTORE",
        keystore.toString(),
        "LOGQUEUE_TLS_KEYSTORE_PASSWORD",
        password,
        "LOGQUEUE_TLS_PORT",
        Integer.toString(port),
        "LOGQUEUE_HTTP",
        "off");
  }

  private static void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
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
