package io.wxgateway.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import io.wxgateway.common.options.AuthOptions;

/**
 * Every key the handshake verifies tokens with, read once from {@code gateway.auth} (blocking: when
 * the node is built, never on an event loop). Refuses, with a message naming the setting, every key
 * that does not fit {@code gateway.auth.algorithm}, every allowed algorithm left without a key, and
 * an empty key set: there is no configuration in which a token needs no signature.
 */
public final class JwtKeys {

  private JwtKeys() {
  }

  /** Reads and checks the key material, as a verifier would; an {@link IllegalArgumentException} names the setting. */
  public static void check(AuthOptions options) {
    load(options);
  }

  static List<VerificationKey> load(AuthOptions options) {
    options.validate();
    List<String> allowed = options.getAlgorithms();
    List<VerificationKey> keys = new ArrayList<>();
    if (!options.getSecret().isEmpty()) {
      keys.add(new VerificationKey(null, "HS256",
          new SecretKeySpec(options.getSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"), "gateway.auth.secret"));
    }
    if (!options.getPublicKeyFile().isEmpty()) {
      keys.add(publicKeyFile(options.getPublicKeyFile(), options.getAlgorithm(), allowed));
    }
    if (!options.getJwksFile().isEmpty()) {
      keys.addAll(JwkSet.parse(read(options.getJwksFile(), JwkSet.SETTING), allowed));
    }
    for (String alg : allowed) {
      if (keys.stream().noneMatch(k -> k.algorithm().equals(alg))) {
        throw new IllegalArgumentException("gateway.auth.algorithm allows " + alg + " but no configured key is "
            + PublicKeys.describe(alg) + "; configured: " + keys);
      }
    }
    return List.copyOf(keys);
  }

  private static VerificationKey publicKeyFile(String file, String algorithm, List<String> allowed) {
    String setting = "gateway.auth.publicKeyFile";
    PublicKey key = PublicKeys.fromPem(read(file, setting), setting);
    String alg = PublicKeys.algorithmOf(key, setting);
    if (!allowed.contains(alg)) {
      throw new IllegalArgumentException(setting + " holds " + PublicKeys.describe(alg).replaceFirst(" \\(.*", "")
          + " but gateway.auth.algorithm is " + algorithm);
    }
    return new VerificationKey(null, alg, key, setting);
  }

  private static String read(String file, String setting) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(setting + ": cannot read " + file + " (" + e + ")", e);
    }
  }
}
