package io.wxgateway.gateway.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

import javax.crypto.Mac;

/**
 * One key the gateway accepts signatures of, bound to exactly one algorithm: an HMAC secret only
 * ever verifies HS256, an RSA key RS256, a P-256 key ES256. Binding the algorithm to the key, not
 * to the token's header, is what makes algorithm confusion impossible. Immutable and thread-safe.
 *
 * @param kid the key id tokens name it by, or null (then it answers to any {@code kid})
 * @param algorithm HS256, RS256 or ES256
 * @param key a secret key (HS256) or a public key
 * @param origin the setting it came from, for messages (never the key itself)
 */
record VerificationKey(String kid, String algorithm, Key key, String origin) {

  /** Whether this key may check a token that names {@code tokenKid} (null: the token names none). */
  boolean answersTo(String tokenAlgorithm, String tokenKid) {
    return algorithm.equals(tokenAlgorithm) && (kid == null || tokenKid == null || kid.equals(tokenKid));
  }

  /** True only for a valid signature; a malformed one is simply not valid. */
  boolean verifies(byte[] signingInput, byte[] signature) {
    try {
      return switch (algorithm) {
        case "HS256" -> hmacMatches(signingInput, signature);
        case "RS256" -> publicKeyVerifies("SHA256withRSA", signingInput, signature);
        case "ES256" -> ecdsaInRange(signature) && publicKeyVerifies("SHA256withECDSAinP1363Format", signingInput,
            signature);
        default -> false;
      };
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private boolean hmacMatches(byte[] signingInput, byte[] signature) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(key);
    return MessageDigest.isEqual(mac.doFinal(signingInput), signature); // constant time
  }

  private boolean publicKeyVerifies(String jcaName, byte[] signingInput, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(jcaName);
    verifier.initVerify((PublicKey) key);
    verifier.update(signingInput);
    return verifier.verify(signature);
  }

  /** r and s must each be 32 bytes and in [1, n-1]: a zero signature must never pass (CVE-2022-21449). */
  private boolean ecdsaInRange(byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    BigInteger order = ((ECPublicKey) key).getParams().getOrder();
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    return r.signum() > 0 && s.signum() > 0 && r.compareTo(order) < 0 && s.compareTo(order) < 0;
  }

  @Override
  public String toString() {
    return algorithm + " key" + (kid == null ? "" : " '" + kid + "'") + " from " + origin;
  }
}
