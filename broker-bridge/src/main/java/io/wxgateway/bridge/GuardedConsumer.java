package io.wxgateway.bridge;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound topic's Kafka consumer, made safe for partitions moving to another bridge.
 *
 * <p>The Vert.x client runs its rebalance listener's handlers later, on the event loop, so the
 * revocation would complete at once while the bridge still delivers the revoked partitions' records
 * and the new owner replays them from the committed offset. Here the revocation waits, on the
 * consumer's own thread (inside its {@code poll}, where Kafka calls the listener), for the bridge to
 * settle what it has in flight ({@link Revocations#settle}), and commits that settled prefix before
 * it returns: the new owner starts exactly after the last record this bridge accounted for.
 *
 * <p>A commit the bridge asked for before a revocation may still be queued behind that {@code poll};
 * run after it, it would move the group back. Commits therefore carry the assignment generation they
 * were taken in ({@link #offsets}); one from an older generation is dropped (the revocation already
 * committed its offsets, or newer ones), and any commit is limited to the partitions still assigned.
 */
final class GuardedConsumer extends KafkaConsumer<String, byte[]> {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedConsumer.class);

  /** The bridge's side of a revocation, called on the consumer's thread (which it may block). */
  interface Revocations {
    /** Offsets of everything settled once the in-flight records are accounted for (or abandoned). */
    Map<TopicPartition, OffsetAndMetadata> settle(Collection<TopicPartition> revoked);
  }

  /** Offsets to commit, stamped with the generation of the assignment they were taken in. */
  static final class Offsets extends HashMap<TopicPartition, OffsetAndMetadata> {
    private final int generation;

    private Offsets(int generation, Map<TopicPartition, OffsetAndMetadata> offsets) {
      super(offsets);
      this.generation = generation;
    }
  }

  private final AtomicInteger generation = new AtomicInteger();
  private volatile Revocations revocations = revoked -> Map.of();

  GuardedConsumer(Map<String, Object> config) {
    super(config);
  }

  void onRevocation(Revocations revocations) {
    this.revocations = revocations;
  }

  /**
   * Starts the next generation: commits stamped before are dropped. Called on the event loop as it
   * hands over the settled offsets to the revocation (which commits them), so that every commit asked
   * for before, whose offsets the revocation carries, and only those, is dropped.
   */
  void nextGeneration() {
    generation.incrementAndGet();
  }

  /** The offsets, stamped with the current generation; call on the event loop when asking for a commit. */
  Offsets offsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
    return new Offsets(generation.get(), offsets);
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    super.subscribe(topics, new SettlingListener(listener));
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets instanceof Offsets stamped && stamped.generation != generation.get()) {
      LOG.debug("dropping a commit from before a revocation: {}", offsets);
      return;
    }
    Set<TopicPartition> assigned = assignment();
    Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(offsets);
    owned.keySet().retainAll(assigned);
    if (!owned.isEmpty()) {
      super.commitSync(owned);
    }
  }

  /** Ours first (settle, commit), then the Vert.x client's own listener. */
  private final class SettlingListener implements ConsumerRebalanceListener {
    private final ConsumerRebalanceListener next;

    SettlingListener(ConsumerRebalanceListener next) {
      this.next = next;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> settled = revocations.settle(partitions);
        try {
          commitSync(settled);
          LOG.info("partitions {} revoked; committed {}", partitions, settled);
        } catch (KafkaException e) {
          LOG.warn("partitions {} revoked; could not commit {}: {}; their next owner consumes them again",
              partitions, settled, e.toString());
        }
      }
      next.onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      next.onPartitionsAssigned(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      generation.incrementAndGet(); // nothing may be committed for them any more: they are someone else's
      next.onPartitionsLost(partitions);
    }
  }
}
