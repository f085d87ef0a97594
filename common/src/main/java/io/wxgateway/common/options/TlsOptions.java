package io.wxgateway.common.options;

import io.vertx.core.json.JsonObject;

/**
 * TLS for the WebSocket port (wss). Off while neither a PEM pair nor a PKCS#12 file is configured,
 * which suits deployments that terminate TLS at a load balancer. Only TLS 1.2 and 1.3 are offered.
 */
public class TlsOptions {

  /** Milliseconds between checks of the certificate files; a change reloads them without a restart. 0 turns reloading off. */
  public static final long DEFAULT_RELOAD_CHECK_MS = 10_000;

  private String certFile = "";
  private String keyFile = "";
  private String keyStoreFile = "";
  private String keyStorePassword = "";
  private long reloadCheckMs = DEFAULT_RELOAD_CHECK_MS;

  public TlsOptions() {
  }

  public TlsOptions(TlsOptions other) {
    this(other.toJson());
  }

  public TlsOptions(JsonObject json) {
    certFile = json.getString("certFile", "");
    keyFile = json.getString("keyFile", "");
    keyStoreFile = json.getString("keyStoreFile", "");
    keyStorePassword = json.getString("keyStorePassword", "");
    reloadCheckMs = json.getLong("reloadCheckMs", DEFAULT_RELOAD_CHECK_MS);
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject().put("certFile", certFile).put("keyFile", keyFile).put("keyStoreFile", keyStoreFile)
        .put("keyStorePassword", keyStorePassword).put("reloadCheckMs", reloadCheckMs);
  }

  /** Whether the gateway serves wss. */
  public boolean isEnabled() {
    return !certFile.isEmpty() || !keyStoreFile.isEmpty();
  }

  public boolean isPem() {
    return !certFile.isEmpty();
  }

  /** PEM certificate chain (leaf first). */
  public String getCertFile() {
    return certFile;
  }

  public TlsOptions setCertFile(String certFile) {
    this.certFile = certFile == null ? "" : certFile;
    return this;
  }

  /** PEM private key (PKCS#8 or PKCS#1) of {@link #getCertFile()}. */
  public String getKeyFile() {
    return keyFile;
  }

  public TlsOptions setKeyFile(String keyFile) {
    this.keyFile = keyFile == null ? "" : keyFile;
    return this;
  }

  /** PKCS#12 key store holding the key and its chain; an alternative to the PEM pair. */
  public String getKeyStoreFile() {
    return keyStoreFile;
  }

  public TlsOptions setKeyStoreFile(String keyStoreFile) {
    this.keyStoreFile = keyStoreFile == null ? "" : keyStoreFile;
    return this;
  }

  public String getKeyStorePassword() {
    return keyStorePassword;
  }

  public TlsOptions setKeyStorePassword(String keyStorePassword) {
    this.keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
    return this;
  }

  public long getReloadCheckMs() {
    return reloadCheckMs;
  }

  public TlsOptions setReloadCheckMs(long reloadCheckMs) {
    this.reloadCheckMs = reloadCheckMs;
    return this;
  }

  private void validate() {
    if (!certFile.isEmpty() && !keyStoreFile.isEmpty()) {
      throw new IllegalArgumentException("gateway.tls: configure certFile/keyFile or keyStoreFile, not both");
    }
    if (certFile.isEmpty() != keyFile.isEmpty()) {
      throw new IllegalArgumentException("gateway.tls.certFile and gateway.tls.keyFile go together");
    }
    if (reloadCheckMs < 0) {
      throw new IllegalArgumentException("gateway.tls.reloadCheckMs must be 0 (off) or more");
    }
  }
}
