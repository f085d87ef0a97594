package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URL;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The shipped logback.xml read by Logback itself, on a context of its own, with its WXGW_LOG_*
 * variables given as context properties (which Logback resolves before the environment's): the
 * levels an operator gets from each.
 */
class LogbackConfigTest {

  @Test
  void theSocketLinesFollowTheRootLevelUnlessTheirOwnLevelIsSet() throws Exception {
    assertEquals(Map.of("root", Level.INFO, "sockets", Level.INFO), levels(Map.of()));
    assertEquals(Map.of("root", Level.WARN, "sockets", Level.WARN), levels(Map.of("WXGW_LOG_LEVEL", "WARN")));
    assertEquals(Map.of("root", Level.INFO, "sockets", Level.WARN),
        levels(Map.of("WXGW_LOG_SOCKETS_LEVEL", "WARN")), "the sockets' lines off, every other INFO line kept");
    assertEquals(Map.of("root", Level.WARN, "sockets", Level.INFO),
        levels(Map.of("WXGW_LOG_LEVEL", "WARN", "WXGW_LOG_SOCKETS_LEVEL", "INFO")));
  }

  @Test
  void eachFormatIsTheConsoleBehindTheQueueAndTheConfigurationHasNoErrors() throws Exception {
    for (String format : new String[] {"text", "json"}) {
      LoggerContext context = configured(Map.of("WXGW_LOG_FORMAT", format));
      try {
        var queue = (AppenderAttachable<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("queue");
        assertNotNull(queue, format);
        assertNotNull(queue.getAppender(format), format + " is the console the queue writes to");
        assertEquals(List.of(), context.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() >= Status.ERROR).toList(), format + ": no errors");
      } finally {
        context.stop();
      }
    }
  }

  private static Map<String, Level> levels(Map<String, String> variables) throws Exception {
    LoggerContext context = configured(variables);
    try {
      return Map.of("root", context.getLogger(Logger.ROOT_LOGGER_NAME).getEffectiveLevel(),
          "sockets", context.getLogger("io.wxgateway.sockets").getEffectiveLevel());
    } finally {
      context.stop();
    }
  }

  private static LoggerContext configured(Map<String, String> variables) throws Exception {
    URL shipped = Launcher.class.getClassLoader().getResource("logback.xml");
    assertNotNull(shipped, "logback.xml on the class path");
    LoggerContext context = new LoggerContext();
    variables.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(shipped);
    return context;
  }
}
