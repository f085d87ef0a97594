package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.process.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher refuses a bad setting, and a key configuration that does not fit gateway.auth.algorithm before it
 * starts anything: exit code 2 and one line naming both settings. Before, it started and verified
 * HS256 tokens with the public key's PEM text as the HMAC secret, which anyone holding the public
 * key can sign with.
 */
class StartupRefusalTest {

  @Test
  void aPublicKeyUnderTheDefaultHs256StopsTheLauncherNamingTheSettings(@TempDir Path dir) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Path pem = Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    Map<String, String> env = TestEnv.singleNode()
        .with("WXGW_GATEWAY_AUTH_MODE", "jwt")
        .with("WXGW_GATEWAY_AUTH_PUBLIC_KEY_FILE", pem.toString())
        .build();
    assertRefused(env, "startup-refusal-child.log", "gateway.auth.publicKeyFile holds an RSA public key but "
        + "gateway.auth.algorithm is HS256");
  }

  /** Every setting is checked at load, before the embedded broker or any port: a bad one stops the launcher by name. */
  @Test
  void aBadSettingStopsTheLauncherNamingIt() throws Exception {
    Map<String, String> env = TestEnv.singleNode().with("WXGW_GATEWAY_AUTH_LEEWAY_SECONDS", "-1").build();
    assertRefused(env, "startup-refusal-setting-child.log", "gateway.auth.leewaySeconds must be >= 0, got -1");
  }

  /** Runs the real launcher in a child JVM: it must exit with 2 and one line that says why. */
  private static void assertRefused(Map<String, String> env, String log, String reason) throws Exception {
    Process child = ChildJvm.of(Launcher.class).env(env).log(log)
        .start(line -> line.contains("invalid configuration") || line.startsWith("wx-gateway is running"));
    try {
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the launcher exits instead of serving");
      assertEquals(2, child.exitValue());
      String output = Files.readString(Path.of("target", log));
      assertTrue(output.contains("wx-gateway: invalid configuration: " + reason), output);
    } finally {
      child.destroyForcibly();
    }
  }
}
