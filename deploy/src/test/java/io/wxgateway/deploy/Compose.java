package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.COMPOSE;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/compose/docker-compose.yml: its services, their environment, their mounts and their stop grace period. */
final class Compose {

  /** The wx-gateway nodes of the stack and the role each runs. */
  static final Map<String, String> NODE_ROLES = Map.of("gateway-1", "gateway", "gateway-2", "gateway", "bridge-1", "bridge");

  private Compose() {
  }

  /** Service name to service. */
  static Map<String, Object> services() {
    return map(Artifacts.yaml(COMPOSE).get("services"));
  }

  /** The service's environment, written as a map or as a list of NAME=value. */
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = service.get("environment");
    if (raw instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else {
      for (Object item : list(raw)) {
        String[] kv = String.valueOf(item).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
    }
    return env;
  }

  /** A bind mount (or a named volume, as given): the host path, the path in the container. */
  record Mount(String source, String target) {
    /** The host path, resolved against the compose file's folder. */
    Path hostPath() {
      return COMPOSE.getParent().resolve(source).normalize();
    }
  }

  static List<Mount> mounts(Map<String, Object> service) {
    List<Mount> out = new ArrayList<>();
    for (Object volume : list(service.get("volumes"))) {
      if (volume instanceof Map<?, ?> m) {
        out.add(new Mount(String.valueOf(m.get("source")), String.valueOf(m.get("target"))));
      } else {
        String[] parts = String.valueOf(volume).split(":");
        out.add(new Mount(parts[0], parts[1]));
      }
    }
    return out;
  }

  /** Container path to host path, for every mount of the service. */
  static Map<String, Path> mountedAt(Map<String, Object> service) {
    Map<String, Path> mounted = new LinkedHashMap<>();
    mounts(service).forEach(m -> mounted.put(m.target(), m.hostPath()));
    return mounted;
  }

  /**
   * Null if the node's stop_grace_period exceeds its drain (window plus deadline, the launcher's
   * defaults where not set), else what is wrong: Docker would SIGKILL the node mid-drain.
   */
  static String drainProblem(String node, Map<String, Object> service) {
    Map<String, String> env = environment(service);
    long drainMs = Long.parseLong(env.getOrDefault("WXGW_DRAIN_WINDOW_MS", "10000"))
        + Long.parseLong(env.getOrDefault("WXGW_DRAIN_DEADLINE_MS", "30000"));
    long graceMs = durationMs(str(service.get("stop_grace_period")));
    return graceMs > drainMs ? null
        : node + ": stop_grace_period " + graceMs + " ms does not exceed the drain (" + drainMs + " ms)";
  }

  /** A compose duration such as 1m30s or 500ms, in milliseconds. */
  static long durationMs(String text) {
    assertNotNull(text, "a duration");
    Matcher m = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(text);
    long total = 0;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total += switch (m.group(2)) {
        case "h" -> n * 3_600_000;
        case "m" -> n * 60_000;
        case "s" -> n * 1_000;
        default -> n;
      };
    }
    return total;
  }
}
