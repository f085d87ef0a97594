package io.wxgateway.gateway.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.wxgateway.common.options.TlsOptions;

/** Turns {@link TlsOptions} into Vert.x server TLS settings: TLS 1.2 and 1.3 only. */
public final class TlsSetup {

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private TlsSetup() {
  }

  public static void apply(HttpServerOptions http, TlsOptions tls) {
    if (tls.isEnabled()) {
      http.setSsl(true).setKeyCertOptions(keyCert(tls)).setEnabledSecureTransportProtocols(PROTOCOLS);
    }
  }

  static ServerSSLOptions sslOptions(TlsOptions tls) {
    return new ServerSSLOptions().setKeyCertOptions(keyCert(tls)).setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  /**
   * A value that changes when any certificate file changes (modification times and sizes). Blocking
   * file I/O: call it on a worker.
   */
  static String fingerprint(TlsOptions tls) {
    StringBuilder sb = new StringBuilder();
    for (String file : tls.isPem() ? new String[] {tls.getCertFile(), tls.getKeyFile()}
        : new String[] {tls.getKeyStoreFile()}) {
      try {
        Path path = Path.of(file);
        sb.append(Files.getLastModifiedTime(path).toMillis()).append('/').append(Files.size(path)).append(';');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return sb.toString();
  }

  private static KeyCertOptions keyCert(TlsOptions tls) {
    if (tls.isPem()) {
      return new PemKeyCertOptions().setCertPath(tls.getCertFile()).setKeyPath(tls.getKeyFile());
    }
    return new PfxOptions().setPath(tls.getKeyStoreFile()).setPassword(tls.getKeyStorePassword());
  }
}
