package io.wxgateway.kafka.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp 'lib/*' io.wxgateway.kafka.embedded.StandaloneBroker <port> <data dir>}: the embedded
 * development broker in a process of its own, for a cluster of wx-gateway processes on one machine
 * (a cluster needs one Kafka that every node reaches, and the embedded broker of a node is for a single
 * process). Prints {@code kafka ready <bootstrap servers>} once it accepts clients, and runs until it is
 * stopped (SIGTERM, Ctrl-C). Port 0 picks a free one. For development and tests only.
 */
public final class StandaloneBroker {

  private StandaloneBroker() {
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: StandaloneBroker <port> <data dir>");
      System.exit(2);
    }
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(new EmbeddedKafkaOptions()
        .setPort(Integer.parseInt(args[0])).setDataDir(Path.of(args[1]))).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "standalone-broker-stop"));
    System.out.println("kafka ready " + broker.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
