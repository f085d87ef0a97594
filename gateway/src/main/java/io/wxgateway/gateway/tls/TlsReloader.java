package io.wxgateway.gateway.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wxgateway.common.options.TlsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the certificate files and hands the server the new ones when they change, so renewed
 * certificates apply without a restart. File checks run on a worker thread.
 */
public final class TlsReloader {

  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  private final Vertx vertx;
  private final HttpServer server;
  private final TlsOptions tls;
  private String fingerprint;
  private long timer = -1;

  public TlsReloader(Vertx vertx, HttpServer server, TlsOptions tls) {
    this.vertx = vertx;
    this.server = server;
    this.tls = tls;
  }

  public void start() {
    if (tls.getReloadCheckMs() == 0) {
      return;
    }
    vertx.executeBlocking(() -> TlsSetup.fingerprint(tls)).onSuccess(f -> fingerprint = f);
    timer = vertx.setPeriodic(tls.getReloadCheckMs(), t -> check());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void check() {
    vertx.executeBlocking(() -> TlsSetup.fingerprint(tls)).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("cannot check the certificate files: {}", ar.cause().getMessage());
      } else if (fingerprint != null && !fingerprint.equals(ar.result())) {
        fingerprint = ar.result();
        server.updateSSLOptions(TlsSetup.sslOptions(tls), true)
            .onSuccess(updated -> LOG.info("certificate files changed: TLS reloaded"))
            .onFailure(e -> LOG.warn("certificate files changed but could not be loaded: {}", e.toString()));
      } else if (fingerprint == null) {
        fingerprint = ar.result();
      }
    });
  }
}
