package io.wxgateway.common.options;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * TLS for the WebSocket port (wss), {@code gateway.tls}. Off while neither a PEM pair nor a PKCS#12
 * file is configured, which suits deployments that terminate TLS at a load balancer. Only TLS 1.2 and
 * 1.3 are offered.
 */
@DataObject
@JsonGen(publicConverter = false)
public class TlsOptions {

  /** PEM certificate chain (leaf first); empty (the default): no PEM pair. */
  public static final String DEFAULT_CERT_FILE = "";
  /** PEM private key of the certificate; set together with the certificate. */
  public static final String DEFAULT_KEY_FILE = "";
  /** PKCS#12 key store, instead of the PEM pair; empty (the default): none. */
  public static final String DEFAULT_KEY_STORE_FILE = "";
  public static final String DEFAULT_KEY_STORE_PASSWORD = "";
  /** Milliseconds between checks of the certificate files; a change reloads them without a restart. 0 turns reloading off. */
  public static final long DEFAULT_RELOAD_CHECK_MS = 10_000;

  private String certFile = DEFAULT_CERT_FILE;
  private String keyFile = DEFAULT_KEY_FILE;
  private String keyStoreFile = DEFAULT_KEY_STORE_FILE;
  private String keyStorePassword = DEFAULT_KEY_STORE_PASSWORD;
  private long reloadCheckMs = DEFAULT_RELOAD_CHECK_MS;

  public TlsOptions() {
  }

  /** A copy as it is, checked or not. */
  public TlsOptions(TlsOptions other) {
    TlsOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public TlsOptions(JsonObject json) {
    TlsOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    TlsOptionsConverter.toJson(this, json);
    return json;
  }

  /** Refuses options that break a rule of {@link OptionsValidator}, naming the setting. */
  public TlsOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  /** Whether the gateway serves wss. */
  @GenIgnore
  public boolean isEnabled() {
    return !certFile.isEmpty() || !keyStoreFile.isEmpty();
  }

  @GenIgnore
  public boolean isPem() {
    return !certFile.isEmpty();
  }

  /** PEM certificate chain (leaf first). */
  public String getCertFile() {
    return certFile;
  }

  public TlsOptions setCertFile(String certFile) {
    this.certFile = Values.text(certFile);
    return this;
  }

  /** PEM private key (PKCS#8 or PKCS#1) of {@link #getCertFile()}. */
  public String getKeyFile() {
    return keyFile;
  }

  public TlsOptions setKeyFile(String keyFile) {
    this.keyFile = Values.text(keyFile);
    return this;
  }

  /** PKCS#12 key store holding the key and its chain; an alternative to the PEM pair. */
  public String getKeyStoreFile() {
    return keyStoreFile;
  }

  public TlsOptions setKeyStoreFile(String keyStoreFile) {
    this.keyStoreFile = Values.text(keyStoreFile);
    return this;
  }

  public String getKeyStorePassword() {
    return keyStorePassword;
  }

  public TlsOptions setKeyStorePassword(String keyStorePassword) {
    this.keyStorePassword = Values.text(keyStorePassword);
    return this;
  }

  public long getReloadCheckMs() {
    return reloadCheckMs;
  }

  public TlsOptions setReloadCheckMs(long reloadCheckMs) {
    this.reloadCheckMs = reloadCheckMs;
    return this;
  }
}
