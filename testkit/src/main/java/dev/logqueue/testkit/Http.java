package dev.logqueue.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A plain HTTP client for the broker's wire contract, for tests that speak HTTP themselves. */
public final class Http {

  private static final HttpClient CLIENT = client();

  private static HttpClient client() {
    Security.get(); // the suite's trust store, if it has one, before the client takes the JVM's
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private final URI base;
  private final String token;
  private final HttpClient client;

  /** A client of the broker at {@code base}; it sends the suite's token, if it has one. */
  public Http(URI base) {
    this(base, Security.enabled() ? Security.get().adminToken() : null, CLIENT);
  }

  private Http(URI base, String token, HttpClient client) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.token = token;
    this.client = client;
  }

  /** The same client, sending {@code Authorization: Bearer token} (null: no header). */
  public Http withToken(String token) {
    return new Http(base, token, client);
  }

  /** The same client, trusting the certificate of these files (and nothing else) for https. */
  public Http trusting(TlsFiles tls) {
    try (InputStream in = Files.newInputStream(tls.truststore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, tls.password().toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return new Http(
          base,
          token,
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(context)
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An answer: its status, headers and body, as JSON where it is JSON. */
  public record Reply(int status, HttpHeaders headers, String text) {

    /** The body as a JSON object; fails if it is not one. */
    public JsonObject json() {
      try {
        JsonValue value = Json.createReader(new StringReader(text)).readValue();
        return value.asJsonObject();
      } catch (JsonParsingException | ClassCastException e) {
        throw new AssertionError("Not a JSON object (HTTP " + status + "): " + text, e);
      }
    }

    public String error() {
      return json().getString("error", null);
    }

    public boolean isSuccess() {
      return status == 200 && "success".equals(json().getString("status", null));
    }

    @Override
    public String toString() {
      return "HTTP " + status + " " + text;
    }
  }

  public Reply get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, null);
  }

  public Reply post(String path, String json) {
    return send("POST", path, json, "application/json");
  }

  /** A POST of JSON that gives up after {@code timeout} (UncheckedIOException). */
  public Reply post(String path, String json, Duration timeout) {
    return send("POST", path, json.getBytes(StandardCharsets.UTF_8), "application/json", timeout);
  }

  public Reply post(String path, JsonObject json) {
    return post(path, json.toString());
  }

  /** Any method, any body, any content type (null for none). */
  public Reply send(String method, String path, String body, String contentType) {
    return send(
        method,
        path,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        contentType,
        Duration.ofSeconds(60));
  }

  public Reply send(String method, String path, byte[] body, String contentType, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
            .timeout(timeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object from alternating names and values. */
  public static JsonObject json(Object... namesAndValues) {
    var builder = Json.createObjectBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      Object value = namesAndValues[i + 1];
      if (value instanceof Number number) {
        builder.add(name, Json.createValue(number.longValue()));
      } else if (value instanceof JsonValue json) {
        builder.add(name, json);
      } else {
        builder.add(name, String.valueOf(value));
      }
    }
    return builder.build();
  }
}
