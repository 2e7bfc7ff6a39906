package dev.logqueue.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The operator's token tooling: {@code token keys} makes the RSA key pair that signs tokens (the
 * private key stays with the operator; the broker gets the public one), {@code token create} signs
 * one (RS256, the claims MicroProfile JWT asks for, plus the broker's {@code lq_topics} and {@code
 * lq_consumers}). The signing is Nimbus JOSE + JWT's.
 */
final class TokenTool {

  static final Set<String> ROLES = Set.of("admin", "producer", "consumer");

  private final PrintStream out;

  TokenTool(PrintStream out) {
    this.out = out;
  }

  /** Writes private.pem (PKCS#8, readable by its owner only) and public.pem into the folder. */
  void keys(Path folder) throws IOException {
    KeyPair keys;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    Files.createDirectories(folder);
    Path privateKey = folder.resolve("private.pem");
    Path publicKey = folder.resolve("public.pem");
    if (Files.exists(privateKey)) {
      throw new IOException(privateKey + " exists: not overwritten");
    }
    Files.writeString(privateKey, "");
    try {
      Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own access rules apply
    }
    Files.writeString(privateKey, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Files.writeString(publicKey, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    out.println("private key (keep it secret; token create signs with it): " + privateKey);
    out.println("public key (the broker's MP_JWT_VERIFY_PUBLICKEY_LOCATION): " + publicKey);
  }

  /** Signs a token and prints it. */
  void create(
      Path key,
      String subject,
      List<String> roles,
      List<String> topics,
      List<String> consumers,
      Duration ttl,
      String issuer)
      throws IOException, UsageException {
    for (String role : roles) {
      if (!ROLES.contains(role)) {
        throw new UsageException("--role is admin, producer or consumer, not " + role);
      }
    }
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .claim("upn", subject)
            .claim("groups", roles)
            .claim("lq_topics", topics)
            .claim("lq_consumers", consumers)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT token =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      token.sign(new RSASSASigner(privateKey(key)));
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign with " + key + ": " + e.getMessage(), e);
    }
    out.println(token.serialize());
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          file + " is not an RSA private key in PKCS#8 PEM (token keys makes one)", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  static String role(String role) {
    return role.toLowerCase(Locale.ROOT);
  }
}
