package dev.logqueue.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A throwaway signing key made at test time (never committed), the public half written where a
 * broker reads it, and bearer tokens signed with it, right or forged on purpose.
 */
public final class Tokens {

  /** The issuer the broker accepts by default. */
  public static final String ISSUER = "logqueue";

  private final KeyPair keys;
  private final Path publicKey;

  private Tokens(KeyPair keys, Path publicKey) {
    this.keys = keys;
    this.publicKey = publicKey;
  }

  /** A new RSA key pair; its public key as PEM in {@code folder}/public.pem. */
  public static Tokens generate(Path folder) {
    KeyPair keys = rsa();
    Path pem = folder.resolve("public.pem");
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded());
    try {
      Files.createDirectories(folder);
      Files.writeString(
          pem, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Tokens(keys, pem);
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path publicKey() {
    return publicKey;
  }

  /** The broker's settings that make it accept these tokens. */
  public Map<String, String> brokerSettings() {
    return Map.of(
        "MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString(), "MP_JWT_VERIFY_ISSUER", ISSUER);
  }

  /** A token of {@code subject} with roles and topic patterns, valid for an hour. */
  public String token(String subject, List<String> roles, List<String> topics) {
    return token(subject, roles, topics, List.of());
  }

  /** The same, also granted other subjects' durable consumers of these names. */
  public String token(
      String subject, List<String> roles, List<String> topics, List<String> consumers) {
    return sign(keys, claims(subject, roles, topics, consumers, ISSUER, Duration.ofHours(1)));
  }

  /** A token that expired a minute ago. */
  public String expired(String subject, List<String> roles, List<String> topics) {
    return sign(keys, claims(subject, roles, topics, List.of(), ISSUER, Duration.ofMinutes(-1)));
  }

  /** A token of another issuer. */
  public String ofIssuer(String issuer, String subject, List<String> roles, List<String> topics) {
    return sign(keys, claims(subject, roles, topics, List.of(), issuer, Duration.ofHours(1)));
  }

  /** A well-formed token signed by a key the broker does not know. */
  public String signedByAnotherKey(String subject, List<String> roles, List<String> topics) {
    return sign(rsa(), claims(subject, roles, topics, List.of(), ISSUER, Duration.ofHours(1)));
  }

  /** A token that says it needs no signature ({@code "alg":"none"}). */
  public String unsigned(String subject, List<String> roles, List<String> topics) {
    return new PlainJWT(claims(subject, roles, topics, List.of(), ISSUER, Duration.ofHours(1)))
        .serialize();
  }

  /** A good token with its claims changed after signing (the signature no longer matches). */
  public String tampered(String subject, List<String> roles, List<String> topics) {
    String[] parts = token(subject, roles, topics).split("\\.");
    JWTClaimsSet raised =
        claims(subject, List.of("admin"), List.of("*"), List.of(), ISSUER, Duration.ofHours(1));
    return parts[0] + "." + Base64URL.encode(raised.toString()) + "." + parts[2];
  }

  private static JWTClaimsSet claims(
      String subject,
      List<String> roles,
      List<String> topics,
      List<String> consumers,
      String issuer,
      Duration valid) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .claim("upn", subject)
        .claim("groups", roles)
        .claim("lq_topics", topics)
        .claim("lq_consumers", consumers)
        .issueTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plus(valid)))
        .jwtID(UUID.randomUUID().toString())
        .build();
  }

  private static String sign(KeyPair keys, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(keys.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
