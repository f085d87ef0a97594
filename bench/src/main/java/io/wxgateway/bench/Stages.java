package io.wxgateway.bench;

import java.util.List;

import jdk.jfr.consumer.RecordedFrame;

/**
 * Which stage of a message's way a CPU sample belongs to, from its thread and stack. The stack is
 * read from the running frame towards the thread's root; the first frame a rule names decides, so a
 * sample inside the JDK or a generic library (a HashMap, a buffer copy) goes to the caller that asked
 * for it. Frames no rule names (Vert.x's and Netty's task loops, the JDK) pass on to their callers; a
 * stack with no named frame is {@code other}.
 *
 * <p>The stages, in a relayed message's order: {@code decode} (reading the socket and its WebSocket
 * frames; decoding the records into deliveries), {@code produce hand-off} (the gateway's hand-off of a
 * record to the Kafka producer, up to the producer's buffer), {@code kafka consumer poll} (the
 * consumers' poll threads: fetching and parsing record batches), {@code route} (the bridge finding a
 * record's nodes: connection id, presence, batching per node), {@code event bus} (the requests between
 * bridge and gateway, their codecs and replies), {@code socket write} (the gateway finding the
 * sockets and writing the frames). Besides them: {@code kafka client I/O} (the producers' network
 * threads), {@code echo backend} (the demo echo the relay runs: its handler and its producer's
 * thread), {@code broker}, {@code load generator} and {@code other}. The echo's consumer poll
 * counts as {@code kafka consumer poll} like the bridge's: their threads and stacks look the same.
 * {@code replay history} is the bridge's history of pushes for session replays (kept for every push
 * to a user or a connection); {@code GC, JIT and VM} is the process's CPU outside its Java threads,
 * which no sample can show ({@link StageProfile}).
 */
final class Stages {

  static final String DECODE = "decode";
  static final String ROUTE = "route";
  static final String EVENT_BUS = "event bus";
  static final String SOCKET_WRITE = "socket write";
  static final String PRODUCE = "produce hand-off";
  static final String KAFKA_IO = "kafka client I/O";
  static final String POLL = "kafka consumer poll";
  static final String BACKEND = "echo backend";
  static final String BROKER = "broker";
  static final String LOAD = "load generator";
  static final String OTHER = "other";
  static final String HISTORY = "replay history";
  /** CPU of the process that no Java thread's samples can show: GC, JIT compilation, the VM's own threads. */
  static final String VM = "GC, JIT and VM";

  /** The report's order. */
  static final List<String> ALL = List.of(DECODE, PRODUCE, POLL, ROUTE, HISTORY, EVENT_BUS, SOCKET_WRITE, KAFKA_IO,
      BACKEND, OTHER, VM, BROKER, LOAD);

  /** A rule's stage that names no stage: the frame passes to its caller, as a JDK frame does. */
  private static final String CALLER = null;

  /** Frame prefixes ({@code class.method}) to stages, the more specific first. */
  private static final String[][] RULES = {
      {"io.wxgateway.common.codec.", DECODE},
      {"io.wxgateway.gateway.session.SocketReader", DECODE},
      {"io.wxgateway.gateway.session.PingGuard", DECODE},
      {"io.wxgateway.gateway.session.MessageAssembler", DECODE},
      {"io.wxgateway.gateway.inbound.InboundPublisher", PRODUCE},
      {"io.wxgateway.gateway.inbound.InboundFlow", PRODUCE},
      {"org.apache.kafka.clients.producer.", PRODUCE},
      {"io.wxgateway.gateway.delivery.DeliveryEndpoint", SOCKET_WRITE},
      {"io.wxgateway.gateway.delivery.LoopWrites", SOCKET_WRITE},
      {"io.wxgateway.gateway.session.SocketWriter", SOCKET_WRITE},
      {"io.wxgateway.gateway.session.SocketSession.write", SOCKET_WRITE},
      {"io.wxgateway.gateway.connection.ConnectionRegistry", SOCKET_WRITE},
      {"io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder", SOCKET_WRITE},
      {"io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder", DECODE},
      {"io.vertx.core.http.impl.WebSocketImplBase.write", SOCKET_WRITE},
      {"io.vertx.core.http.impl.WebSocketImplBase.handle", DECODE},
      {"io.netty.channel.AbstractChannelHandlerContext.invokeWrite", SOCKET_WRITE},
      {"io.netty.channel.AbstractChannelHandlerContext.invokeFlush", SOCKET_WRITE},
      {"io.netty.channel.AbstractChannelHandlerContext.write", SOCKET_WRITE},
      {"io.netty.channel.AbstractChannelHandlerContext.flush", SOCKET_WRITE},
      {"io.netty.channel.nio.AbstractNioByteChannel$NioByteUnsafe.read", DECODE},
      {"io.netty.channel.epoll.AbstractEpollStreamChannel$EpollStreamUnsafe.epollInReady", DECODE},
      // the bridge's replay history (sessions): kept per push, in BatchProcessor.remember
      {"io.wxgateway.bridge.BatchProcessor.remember", HISTORY},
      {"io.wxgateway.bridge.PushHistory", HISTORY},
      {"io.wxgateway.bridge.PartitionHistory", HISTORY},
      {"io.wxgateway.bridge.HistoryEntry", HISTORY},
      {"io.wxgateway.common.bus.ReplayRequest.key", HISTORY},
      // plain values of the bus contract, built and read by every stage: they are their caller's
      // (a Delivery built by the decoder is decode, a result read by the gateway's endpoint is its)
      {"io.wxgateway.common.bus.Delivery", CALLER}, // also DeliveryBatch, DeliveryResult(s), DeliveryDeadlines
      {"io.wxgateway.common.bus.NodeClock", CALLER},
      {"io.wxgateway.common.bus.ReplayRequest", CALLER},
      {"io.wxgateway.bridge.DeliveryRouter", ROUTE},
      {"io.wxgateway.bridge.BatchProcessor", ROUTE},
      {"io.wxgateway.bridge.InFlightBatches", ROUTE},
      {"io.wxgateway.common.bus.Presence", ROUTE},
      {"io.wxgateway.bridge.NodeLink", EVENT_BUS},
      {"io.wxgateway.common.bus.", EVENT_BUS},
      {"io.vertx.core.eventbus.", EVENT_BUS},
      {"io.vertx.core.spi.cluster.", EVENT_BUS},
      {"org.apache.kafka.clients.consumer.", POLL},
      {"io.vertx.kafka.client.consumer.", POLL},
  };

  private Stages() {
  }

  /** The project classes the rules name, for a test that fails when one is renamed or moved. */
  static List<String> projectClasses() {
    List<String> names = new java.util.ArrayList<>();
    for (String[] rule : RULES) {
      if (rule[0].startsWith("io.wxgateway.") && !rule[0].endsWith(".")) {
        String name = rule[0];
        int last = name.lastIndexOf('.');
        names.add(Character.isLowerCase(name.charAt(last + 1)) ? name.substring(0, last) : name);
      }
    }
    return names;
  }

  /** The stage of one sample; {@code frames} run from the sampled frame to the thread's root. */
  static String of(String thread, List<RecordedFrame> frames) {
    List<String> names = new java.util.ArrayList<>(frames.size());
    for (RecordedFrame f : frames) {
      names.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
    }
    return ofNames(thread, names);
  }

  /** As {@link #of}, with each frame as {@code class.method}. */
  static String ofNames(String thread, List<String> frames) {
    if (thread.startsWith("wx-bench-") || thread.contains("| wx-bench")) {
      return LOAD;
    }
    if (thread.startsWith("kafka-producer-network-thread")) {
      return thread.endsWith("| wx-demo-echo") ? BACKEND : KAFKA_IO;
    }
    if (thread.startsWith("kafka-coordinator-heartbeat")) {
      return KAFKA_IO;
    }
    for (String frame : frames) {
      if (frame.startsWith("io.wxgateway.deploy.EchoBackend")) {
        return BACKEND;
      }
      if (frame.startsWith("kafka.") || frame.startsWith("org.apache.kafka.server.")
          || frame.startsWith("org.apache.kafka.raft.") || frame.startsWith("org.apache.kafka.controller.")
          || frame.startsWith("org.apache.kafka.storage.") || frame.startsWith("org.apache.kafka.image.")
          || frame.startsWith("org.apache.kafka.metadata.") || frame.startsWith("io.wxgateway.kafka.embedded.")) {
        return BROKER;
      }
    }
    for (String frame : frames) {
      for (String[] rule : RULES) {
        if (frame.startsWith(rule[0])) {
          if (rule[1] == CALLER) {
            break; // on to the caller's frame
          }
          return rule[1];
        }
      }
    }
    return OTHER;
  }
}
