package io.wxgateway.gateway;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made by the JDK's keytool, as PKCS#12 and as PEM files. */
final class TestCertificates {

  static final String PASSWORD = "changeit";

  private TestCertificates() {
  }

  /** A PKCS#12 key store with a fresh RSA key and a certificate for {@code cn} (and 127.0.0.1). */
  static Path pkcs12(Path dir, String cn) throws Exception {
    Path store = dir.resolve(cn + ".p12");
    Files.deleteIfExists(store);
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "wx", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + cn,
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    return store;
  }

  /** Writes the key and certificate of a PKCS#12 store as PEM files {@code cert} and {@code key}. */
  static void pem(Path pkcs12, Path cert, Path key) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pkcs12)) {
      store.load(in, PASSWORD.toCharArray());
    }
    Key privateKey = store.getKey("wx", PASSWORD.toCharArray());
    Certificate certificate = store.getCertificate("wx");
    Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
