package dev.logqueue.broker.security.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * How the broker authenticates requests, from MicroProfile Config:
 *
 * <ul>
 *   <li>{@link Mode#TOKENS}: bearer tokens (MicroProfile JWT), when a verification key is
 *       configured ({@code mp.jwt.verify.publickey.location}, or {@code mp.jwt.verify.publickey}),
 *       or {@code LOGQUEUE_AUTH=jwt} (which then requires one);
 *   <li>{@link Mode#LOOPBACK}: no key and no {@code LOGQUEUE_AUTH}: no authentication, and only
 *       connections made to a loopback address are served;
 *   <li>{@link Mode#NONE}: {@code LOGQUEUE_AUTH=none}, said explicitly: no authentication anywhere,
 *       with a warning at every start.
 * </ul>
 */
@ApplicationScoped
public class AuthSettings {

  private static final Logger LOG = System.getLogger(AuthSettings.class.getName());

  /** How requests are authenticated. */
  public enum Mode {
    TOKENS,
    LOOPBACK,
    NONE
  }

  @Inject Config config;

  private Mode mode;
  private String issuer;

  @PostConstruct
  void read() {
    Optional<String> asked = config.getOptionalValue("logqueue.auth", String.class);
    boolean key =
        config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent()
            || config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent();
    issuer = config.getOptionalValue("mp.jwt.verify.issuer", String.class).orElse("(none)");
    mode = mode(asked.map(a -> a.strip().toLowerCase(Locale.ROOT)), key);
    config
        .getOptionalValue("mp.jwt.verify.publickey.location", String.class)
        .ifPresent(AuthSettings::checkKeyLocation);
  }

  /** Payara reads the key from a URL: a bare path would fail every token, so it stops the start. */
  static void checkKeyLocation(String location) {
    URI uri;
    try {
      uri = new URI(location.strip());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("MP_JWT_VERIFY_PUBLICKEY_LOCATION is not a URL: " + location);
    }
    if (uri.getScheme() == null) {
      throw new IllegalStateException(
          "MP_JWT_VERIFY_PUBLICKEY_LOCATION is read as a URL: file://"
              + location
              + ", not "
              + location
              + " (payara-config/run.sh turns a path into one)");
    }
    if (uri.getScheme().equals("file") && !Files.isReadable(Path.of(uri))) {
      throw new IllegalStateException(
          "MP_JWT_VERIFY_PUBLICKEY_LOCATION: cannot read " + Path.of(uri));
    }
  }

  static Mode mode(Optional<String> asked, boolean key) {
    if (asked.isEmpty() || asked.get().isEmpty()) {
      return key ? Mode.TOKENS : Mode.LOOPBACK;
    }
    return switch (asked.get()) {
      case "jwt" -> {
        if (!key) {
          throw new IllegalStateException(
              "LOGQUEUE_AUTH=jwt needs the key that signs the tokens: set"
                  + " MP_JWT_VERIFY_PUBLICKEY_LOCATION to its PEM or JWKS file (README, Security)");
        }
        yield Mode.TOKENS;
      }
      case "none" -> Mode.NONE;
      default ->
          throw new IllegalStateException(
              "LOGQUEUE_AUTH is jwt or none, not '" + asked.get() + "' (README, Security)");
    };
  }

  public Mode mode() {
    return mode;
  }

  /** Says at start how requests are authenticated; the explicit 'none' is a warning, every time. */
  public void announce() {
    switch (mode) {
      case TOKENS -> LOG.log(Level.INFO, "Authentication: bearer tokens of issuer ''{0}''", issuer);
      case LOOPBACK ->
          LOG.log(
              Level.INFO,
              "Authentication is off: only connections to a loopback address are served. To serve"
                  + " others, configure tokens (README, Security) or set LOGQUEUE_AUTH=none");
      case NONE ->
          LOG.log(
              Level.WARNING,
              "Authentication is OFF (LOGQUEUE_AUTH=none): anyone who reaches this broker may"
                  + " read, write and delete every topic");
    }
  }
}
