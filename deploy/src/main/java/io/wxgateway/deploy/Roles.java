package io.wxgateway.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vertx.core.json.JsonArray;

/**
 * What one process runs ({@code node.roles}): the {@code gateway} (holds sockets, listens on
 * {@code gateway.port}), the {@code bridge} (consumes the outbound topic), or both, the default.
 * The management port runs on every node whatever its roles; the demo echo backend on any role.
 *
 * @param gateway whether this process holds sockets
 * @param bridge whether this process consumes the outbound topic
 */
record Roles(boolean gateway, boolean bridge) {

  static final String GATEWAY = "gateway";
  static final String BRIDGE = "bridge";
  static final Roles ALL = new Roles(true, true);

  Roles {
    if (!gateway && !bridge) {
      throw new IllegalArgumentException("node.roles must name at least one of gateway, bridge");
    }
  }

  /** The defaults' form: a list. */
  static JsonArray defaults() {
    return new JsonArray().add(GATEWAY).add(BRIDGE);
  }

  /** From a YAML list, a comma-separated string, or null (every role). */
  static Roles parse(Object value) {
    List<String> names = new ArrayList<>();
    if (value == null) {
      return ALL;
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> names.add(String.valueOf(v)));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> names.add(String.valueOf(v)));
    } else {
      names.addAll(List.of(String.valueOf(value).split(",")));
    }
    boolean gateway = false;
    boolean bridge = false;
    for (String raw : names) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case GATEWAY -> gateway = true;
        case BRIDGE -> bridge = true;
        case "" -> { }
        default -> throw new IllegalArgumentException("node.roles: unknown role '" + raw.trim()
            + "' (the roles are gateway and bridge)");
      }
    }
    return new Roles(gateway, bridge);
  }

  @Override
  public String toString() {
    return gateway && bridge ? GATEWAY + "," + BRIDGE : gateway ? GATEWAY : BRIDGE;
  }
}
