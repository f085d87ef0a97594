package io.wxgateway.common.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Every options class survives toJson then its JSON constructor, and its copy constructor, with every
 * field: compared field by field (by reflection, so a field the JSON leaves out fails here), and every
 * field is a key of the JSON, which is the configuration format.
 */
class OptionsRoundTripTest {

  @Test
  void tls() throws Exception {
    check(TlsOptions::new, TlsOptions::new, TlsOptions::new, TlsOptions::toJson, OptionsSamples.tls(),
        OptionsSamples.tlsKeyStore());
  }

  @Test
  void auth() throws Exception {
    check(AuthOptions::new, AuthOptions::new, AuthOptions::new, AuthOptions::toJson, OptionsSamples.auth());
  }

  @Test
  void handshake() throws Exception {
    check(HandshakeOptions::new, HandshakeOptions::new, HandshakeOptions::new, HandshakeOptions::toJson,
        OptionsSamples.handshake());
  }

  @Test
  void socket() throws Exception {
    check(SocketOptions::new, SocketOptions::new, SocketOptions::new, SocketOptions::toJson, OptionsSamples.socket());
  }

  @Test
  void session() throws Exception {
    check(SessionOptions::new, SessionOptions::new, SessionOptions::new, SessionOptions::toJson,
        OptionsSamples.session());
  }

  @Test
  void gatewayWithItsSections() throws Exception {
    check(GatewayOptions::new, GatewayOptions::new, GatewayOptions::new, GatewayOptions::toJson,
        OptionsSamples.gateway());
  }

  @Test
  void kafka() throws Exception {
    check(KafkaOptions::new, KafkaOptions::new, KafkaOptions::new, KafkaOptions::toJson, OptionsSamples.kafka());
  }

  @Test
  void bridge() throws Exception {
    check(BridgeOptions::new, BridgeOptions::new, BridgeOptions::new, BridgeOptions::toJson, OptionsSamples.bridge());
  }

  @Test
  void cluster() throws Exception {
    check(ClusterOptions::new, ClusterOptions::new, ClusterOptions::new, ClusterOptions::toJson,
        OptionsSamples.cluster(), OptionsSamples.clusterOnKubernetes(), OptionsSamples.clusterOnMulticast());
  }

  /** The unset node id (null until the launcher assigns one) is still a key: --help and the environment read the keys. */
  @Test
  void theUnsetNodeIdStaysInTheJson() {
    JsonObject json = new GatewayOptions().toJson();
    assertEquals(true, json.containsKey("nodeId"));
    assertEquals(null, new GatewayOptions(json).getNodeId());
  }

  @SafeVarargs
  private static <T> void check(Supplier<T> defaults, Function<JsonObject, T> fromJson, UnaryOperator<T> copy,
      Function<T, JsonObject> toJson, T... samples) throws Exception {
    T fresh = defaults.get();
    Set<String> notVaried = new TreeSet<>(fieldNames(fresh.getClass()));
    for (T sample : samples) {
      for (Field f : fields(sample.getClass())) {
        if (!same(f.get(sample), f.get(fresh))) {
          notVaried.remove(f.getName());
        }
      }
      JsonObject json = toJson.apply(sample);
      assertEquals(new TreeSet<>(fieldNames(sample.getClass())), new TreeSet<>(json.fieldNames()),
          "every field is a key of the configuration, and nothing else is");
      assertSameFields(sample, fromJson.apply(json), "toJson then the JSON constructor");
      assertSameFields(sample, fromJson.apply(new JsonObject(json.encode())), "through the JSON text");
      T copied = copy.apply(sample);
      assertSameFields(sample, copied, "the copy constructor");
      assertNotSame(sample, copied);
    }
    assertEquals(Set.of(), notVaried, "give these fields a value other than their default in OptionsSamples");
    assertSameFields(fresh, fromJson.apply(new JsonObject()), "an empty section is the defaults");
  }

  /** Field by field; nested options classes likewise, and collections are copies, not the same object. */
  private static void assertSameFields(Object expected, Object actual, String how) throws Exception {
    for (Field f : fields(expected.getClass())) {
      Object e = f.get(expected);
      Object a = f.get(actual);
      if (e != null && e.getClass().getPackage() == OptionsRoundTripTest.class.getPackage()) {
        assertNotSame(e, a, how + ": " + f.getName() + " is copied");
        assertSameFields(e, a, how + ": " + f.getName());
      } else {
        assertEquals(e, a, how + ": " + expected.getClass().getSimpleName() + "." + f.getName());
        if (e instanceof java.util.Collection<?> || e instanceof java.util.Map<?, ?>) {
          assertNotSame(e, a, how + ": " + f.getName() + " is copied");
        }
      }
    }
  }

  private static boolean same(Object a, Object b) throws Exception {
    if (a != null && b != null && a.getClass().getPackage() == OptionsRoundTripTest.class.getPackage()) {
      for (Field f : fields(a.getClass())) {
        if (!same(f.get(a), f.get(b))) {
          return false;
        }
      }
      return true;
    }
    return a == null ? b == null : a.equals(b);
  }

  private static List<Field> fields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        f.setAccessible(true);
        out.add(f);
      }
    }
    assertNotEquals(List.of(), out, type + " has fields");
    return out;
  }

  private static List<String> fieldNames(Class<?> type) {
    return fields(type).stream().map(Field::getName).toList();
  }
}
