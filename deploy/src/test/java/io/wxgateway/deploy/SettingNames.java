package io.wxgateway.deploy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.json.JsonObject;

/** The setting names the launcher reads, and checks that the artifacts use no other. */
final class SettingNames {

  /**
   * Settings the manifests already use for features the launcher does not read yet (roles,
   * clustering, drain, admin API). Each is accepted only while its section (the first word after
   * WXGW_) is unknown to the launcher; once the section exists, the name must be a real setting.
   */
  static final Set<String> COMING_SOON = Set.of("WXGW_NODE_ROLES", "WXGW_CLUSTER_MEMBERS",
      "WXGW_CLUSTER_KUBERNETES_SERVICE", "WXGW_CLUSTER_EVENT_BUS_PORT", "WXGW_DRAIN_WINDOW_MS",
      "WXGW_DRAIN_DEADLINE_MS", "WXGW_ADMIN_TOKEN");
  /** Read by logback.xml, not by the launcher. */
  private static final Set<String> OTHER_WXGW_VARIABLES = Set.of("WXGW_LOG_LEVEL", "WXGW_LOG_FORMAT",
      "WXGW_LOG_SOCKETS_LEVEL");

  private SettingNames() {
  }

  /** Every WXGW_* variable, as --help lists them. */
  static Set<String> environmentVariables() {
    Set<String> known = new TreeSet<>();
    ConfigLoader.forEachSetting(WxConfig.defaults(), "", ConfigLoader.ENV_PREFIX, (path, value, env) -> known.add(env));
    return known;
  }

  /**
   * Every WXGW_* variable among {@code names} must be a setting the launcher reads, a Kafka client
   * property, a logback.xml variable (WXGW_LOG_*), or a {@link #COMING_SOON} setting whose section the launcher does not know yet.
   */
  static void checkEnvironmentNames(String where, Iterable<String> names, List<String> problems) {
    checkEnvironmentNames(where, names, COMING_SOON, problems);
  }

  static void checkEnvironmentNames(String where, Iterable<String> names, Set<String> comingSoon, List<String> problems) {
    Set<String> known = environmentVariables();
    for (String name : names) {
      if (!name.startsWith("WXGW_") || known.contains(name) || OTHER_WXGW_VARIABLES.contains(name)
          || (name.startsWith(ConfigLoader.KAFKA_PROPERTY_PREFIX) && name.length() > ConfigLoader.KAFKA_PROPERTY_PREFIX.length())) {
        continue;
      }
      String rest = name.substring("WXGW_".length());
      List<String> similar = known.stream().filter(k -> k.endsWith("_" + rest)).toList();
      String section = "WXGW_" + rest.split("_")[0];
      boolean sectionKnown = known.stream().anyMatch(k -> k.equals(section) || k.startsWith(section + "_"));
      if (!similar.isEmpty()) {
        problems.add(where + ": " + name + " is not a setting; did you mean " + similar + "?");
      } else if (!comingSoon.contains(name)) {
        problems.add(where + ": " + name + " is not a setting (see wx-gateway --help)");
      } else if (sectionKnown) {
        problems.add(where + ": " + name + " is not a setting, although the launcher now has a "
            + section + "_* section: rename it to the real setting");
      }
    }
  }

  /** Every key of a config file must be a setting (below "properties", any Kafka client property goes). */
  static void checkConfigKeys(String path, JsonObject yaml, JsonObject defaults, List<String> problems) {
    for (String key : yaml.fieldNames()) {
      if (!defaults.containsKey(key)) {
        problems.add("config.yaml: " + path + key + " is not a setting");
      } else if (yaml.getValue(key) instanceof JsonObject nested && !key.equals("properties")
          && defaults.getValue(key) instanceof JsonObject nestedDefaults) {
        checkConfigKeys(path + key + ".", nested, nestedDefaults, problems);
      }
    }
  }
}
