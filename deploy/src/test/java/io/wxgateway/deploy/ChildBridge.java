package io.wxgateway.deploy;

import java.util.concurrent.CountDownLatch;

/** Main of a child JVM: a node configured from the environment (a bridge-only one, in the cluster test) that runs until killed. */
public final class ChildBridge {

  static final String READY = "CHILD BRIDGE READY";

  private ChildBridge() {
  }

  public static void main(String[] args) throws Exception {
    WxConfig config = ConfigLoader.load(null, System.getenv());
    WxRuntime.start(config);
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
