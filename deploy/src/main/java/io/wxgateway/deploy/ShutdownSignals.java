package io.wxgateway.deploy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The process's answer to SIGTERM and SIGINT: the first starts the graceful stop (drain, flush,
 * commit) and a watchdog that exits at the deadline whatever happens; a second signal exits at
 * once. Shutdown hooks could not tell a second signal apart, hence the signal handlers.
 */
final class ShutdownSignals {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

  private final WxRuntime runtime;
  private final long deadlineMs;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  ShutdownSignals(WxRuntime runtime, long deadlineMs) {
    this.runtime = runtime;
    this.deadlineMs = deadlineMs;
  }

  /** Installs the handlers, then blocks until the graceful stop finished. */
  void awaitStop() throws InterruptedException {
    Signal.handle(new Signal("TERM"), this::onSignal);
    Signal.handle(new Signal("INT"), this::onSignal);
    // Other ways out (System.exit elsewhere) still stop the runtime; stop() is idempotent.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.stop();
      Logs.flush();
    }, "wx-gateway-shutdown-hook"));
    stopped.await();
  }

  /** Exits at once, whatever the log's flush does; the flush waits at most a second. */
  private static void haltAfterFlush(int status) {
    try {
      Logs.flush();
    } finally {
      Runtime.getRuntime().halt(status);
    }
  }

  private void onSignal(Signal signal) {
    if (!stopping.compareAndSet(false, true)) {
      LOG.warn("second SIG{}: exiting now without finishing the drain", signal.getName());
      haltAfterFlush(2);
    }
    LOG.info("SIG{}: draining, then stopping (deadline {} ms; send it again to exit at once)", signal.getName(),
        deadlineMs);
    Thread watchdog = new Thread(() -> {
      try {
        if (!stopped.await(deadlineMs, TimeUnit.MILLISECONDS)) {
          LOG.warn("the graceful stop did not finish within {} ms: exiting", deadlineMs);
          haltAfterFlush(1);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "wx-gateway-deadline");
    watchdog.setDaemon(true);
    watchdog.start();
    Thread stopper = new Thread(() -> {
      runtime.stop();
      LOG.info("stopped");
      stopped.countDown();
      Logs.flush();
      System.exit(0);
    }, "wx-gateway-stop");
    stopper.start();
  }
}
