package io.wxgateway.deploy;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * The process's logging, as logback.xml sets it up: every line is queued to one writer thread, so an
 * event loop never waits on a full stdout pipe. Lines still queued when the process ends would be
 * lost, so every way out calls {@link #flush} first.
 */
final class Logs {

  private Logs() {
  }

  /**
   * Writes out what is queued (Logback waits up to a second) and stops logging: call right before
   * the process exits. Any thread; a no-op under another SLF4J binding.
   */
  static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
