package io.wxgateway.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.wxgateway.common.TopicReadiness;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the contract's topics when they are missing, so a fresh broker works at once. Blocking:
 * the launcher calls it on its main thread before any verticle starts.
 */
final class TopicBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrap.class);

  private TopicBootstrap() {
  }

  static void ensureTopics(KafkaOptions kafka, short replicationFactor) throws InterruptedException {
    Map<String, Object> config = new HashMap<>(kafka.getProperties());
    config.put("bootstrap.servers", kafka.getBootstrapServers());
    try (Admin admin = Admin.create(config)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : List.of(kafka.getInboundTopic(), kafka.getOutboundTopic(), kafka.getDeadLetterTopic(),
          kafka.getReceiptsTopic())) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, kafka.getTopicPartitions(), replicationFactor));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        List<String> names = missing.stream().map(NewTopic::name).toList();
        TopicReadiness.await(admin, names, Duration.ofSeconds(60));
        LOG.info("created topics {}", names);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create the topics on " + kafka.getBootstrapServers()
            + ": " + e.getCause(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka at " + kafka.getBootstrapServers() + " did not answer within 60 s", e);
    }
  }
}
