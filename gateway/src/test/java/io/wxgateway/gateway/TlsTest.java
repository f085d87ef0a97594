package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.vertx.core.http.WebSocketClientOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.TlsOptions;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss from PKCS#12 and from PEM, TLS 1.2 and 1.3, and certificates renewed without a restart. */
class TlsTest {

  @TempDir
  Path dir;
  private GatewayTestSupport gw;

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void pkcs12ServesWssOverTls12AndTls13() throws Exception {
    Path store = TestCertificates.pkcs12(dir, "first");
    start(new TlsOptions().setKeyStoreFile(store.toString()).setKeyStorePassword(TestCertificates.PASSWORD));
    for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
      TestSocket socket = connect(protocol);
      socket.sendText("ping");
      assertEquals("pong", socket.next().asText(), "a working socket over " + protocol);
      assertEquals("CN=first", subject(socket));
      socket.close();
    }
  }

  @Test
  void renewedPemFilesAreServedWithoutARestart() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    TestCertificates.pem(TestCertificates.pkcs12(dir, "before"), cert, key);
    start(new TlsOptions().setCertFile(cert.toString()).setKeyFile(key.toString()).setReloadCheckMs(200));
    TestSocket before = connect("TLSv1.3");
    assertEquals("CN=before", subject(before));

    TestCertificates.pem(TestCertificates.pkcs12(dir, "after"), cert, key);
    Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
      try (TestSocket probe = connect("TLSv1.3")) {
        return subject(probe).equals("CN=after");
      }
    });
    before.sendText("ping");
    assertEquals("pong", before.next().asText(), "open sockets keep their session");
    before.close();
  }

  private void start(TlsOptions tls) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2).setTls(tls));
  }

  private TestSocket connect(String protocol) {
    WebSocketClientOptions client = TestSocket.clientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setEnabledSecureTransportProtocols(Set.of(protocol));
    return TestSocket.connect(gw.vertx, client, TestSocket.connectOptions(gw.port, "/ws").setSsl(true));
  }

  private static String subject(TestSocket socket) throws Exception {
    X509Certificate cert = (X509Certificate) socket.peerCertificates().get(0);
    String subject = cert.getSubjectX500Principal().getName();
    assertTrue(subject.startsWith("CN="), subject);
    return subject;
  }
}
