package io.wxgateway.gateway.auth;

import java.io.ByteArrayInputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM public keys and says which JWS algorithm a public key is for. Every problem is an
 * {@link IllegalArgumentException} whose message names the setting, so the gateway refuses to start.
 */
final class PublicKeys {

  /** RFC 7518 3.3: RS256 keys are 2048 bits or larger. */
  static final int MIN_RSA_BITS = 2048;
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final ECParameterSpec P256 = p256();

  private PublicKeys() {
  }

  /** The one public key (or certificate) in a PEM text. */
  static PublicKey fromPem(String pem, String setting) {
    Matcher block = PEM.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException(setting + " holds no PEM block (-----BEGIN PUBLIC KEY-----)");
    }
    String type = block.group(1);
    byte[] der = Base64.getMimeDecoder().decode(block.group(2));
    if (block.find()) {
      throw new IllegalArgumentException(setting + " holds more than one PEM block; give exactly one public key "
          + "(several keys: use gateway.auth.jwksFile)");
    }
    try {
      return switch (type) {
        case "PUBLIC KEY" -> x509Key(der);
        case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        default -> throw new IllegalArgumentException(setting + " holds a '" + type + "' PEM block; it needs a "
            + "'PUBLIC KEY' (or 'CERTIFICATE'); never give the gateway a private key");
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(setting + " holds a " + type + " that cannot be read: " + e.getMessage(), e);
    }
  }

  /** RS256 for an RSA key of 2048 bits or more, ES256 for a P-256 key; anything else is refused. */
  static String algorithmOf(PublicKey key, String setting) {
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException(setting + " holds a " + bits + "-bit RSA key; RS256 needs "
            + MIN_RSA_BITS + " bits or more");
      }
      return "RS256";
    }
    if (key instanceof ECPublicKey ec) {
      if (!isP256(ec.getParams())) {
        throw new IllegalArgumentException(setting + " holds an EC key on another curve than P-256; ES256 needs P-256");
      }
      return "ES256";
    }
    throw new IllegalArgumentException(setting + " holds a " + key.getAlgorithm() + " key; supported: RSA (RS256), "
        + "EC P-256 (ES256)");
  }

  /** How a message names the kind of key an algorithm takes. */
  static String describe(String algorithm) {
    return switch (algorithm) {
      case "RS256" -> "an RSA public key (RS256)";
      case "ES256" -> "an EC P-256 public key (ES256)";
      default -> "an HMAC secret (HS256)";
    };
  }

  static ECParameterSpec p256Params() {
    return P256;
  }

  private static boolean isP256(ECParameterSpec params) {
    return params.getOrder().equals(P256.getOrder()) && params.getCurve().equals(P256.getCurve())
        && params.getGenerator().equals(P256.getGenerator()) && params.getCofactor() == P256.getCofactor();
  }

  private static PublicKey x509Key(byte[] der) throws GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks the P-256 curve", e);
    }
  }
}
