package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import io.wxgateway.deploy.PromQl.LabelMatcher;
import io.wxgateway.deploy.PromQl.Query;
import org.junit.jupiter.api.Test;

/** The PromQL extraction the dashboard and alert checks rely on. */
class PromQlTest {

  @Test
  void theExtractionFindsMetricsAndIgnoresFunctionsLabelsAndDurations() {
    Query q = PromQl.parse("sum by (code, initiator) (rate(wx_sockets_closed_total{job=~\"$job\", code=\"1000\"}"
        + "[$__rate_interval])) / ignoring(code) group_left sum(rate(wx_x_total[5m] offset 1m)) > bool 0.5 "
        + "and deriv(max(wx_lag)[10m:1m]) > 1e-3 or up");
    assertEquals(Set.of("wx_sockets_closed_total", "wx_x_total", "wx_lag", "up"), q.metrics());
    assertEquals(Set.of("code", "initiator"), q.groupingLabels());
    assertEquals(2, q.matchers().size());
    assertEquals(List.of(new LabelMatcher("wx_sockets_closed_total", "job", "=~", "$job"),
        new LabelMatcher("wx_sockets_closed_total", "code", "=", "1000")), q.matchers());
  }

  @Test
  void grafanaLabelValuesQueriesKeepOnlyTheirSelector() {
    assertEquals(Set.of("wx_y"), PromQl.parse("label_values(wx_y{job=\"a\"}, instance)").metrics());
    assertEquals(Set.of(), PromQl.parse("label_values(instance)").metrics());
  }

  @Test
  void aSeriesFamilyDropsTheSuffixOfItsMeterType() {
    assertEquals("wx_sockets_opened", PromQl.family("wx_sockets_opened_total"));
    assertEquals("wx_kafka_produce_latency_seconds", PromQl.family("wx_kafka_produce_latency_seconds_bucket"));
    assertEquals("wx_sockets_active", PromQl.family("wx_sockets_active"));
  }
}
