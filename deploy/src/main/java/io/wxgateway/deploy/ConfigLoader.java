package io.wxgateway.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.wxgateway.gateway.GatewayNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the configuration: defaults, then the YAML file (if any), then environment variables.
 *
 * <p>Every key {@code section.key} (or {@code section.sub.key}) can be overridden by
 * {@code WXGW_SECTION_KEY} (camelCase becomes UPPER_SNAKE: {@code gateway.maxMessageBytes} is
 * {@code WXGW_GATEWAY_MAX_MESSAGE_BYTES}; lists are comma-separated). Kafka
 * client properties are {@code WXGW_KAFKA_PROPERTY_<NAME>} with dots written as underscores
 * ({@code WXGW_KAFKA_PROPERTY_SASL_MECHANISM} sets {@code sasl.mechanism}).
 *
 * <p>Every value, from the file or the environment, becomes the type of its default or is refused
 * naming the setting; then {@link WxConfig} checks every rule. {@link #loadToStart} is what the
 * launcher runs: that, and the checks that read files (the JWT keys), before anything starts.
 */
final class ConfigLoader {

  static final String ENV_PREFIX = "WXGW_";
  static final String KAFKA_PROPERTY_PREFIX = ENV_PREFIX + "KAFKA_PROPERTY_";

  private ConfigLoader() {
  }

  /** The configuration, refused with an {@link IllegalArgumentException} naming the setting when a value breaks a rule. */
  static WxConfig load(Path file, Map<String, String> env) throws IOException {
    JsonObject json = WxConfig.defaults();
    if (file != null) {
      JsonObject yaml = readYaml(file);
      coerce(yaml, WxConfig.defaults(), "");
      json.mergeIn(yaml, true);
    }
    applyEnvironment(json, env);
    return new WxConfig(json);
  }

  /**
   * {@link #load}, then what the roles this process runs refer to: the gateway's key files (read here,
   * blocking, before any event loop), so a key that does not fit {@code gateway.auth.algorithm}
   * refuses the start like any other bad setting.
   */
  static WxConfig loadToStart(Path file, Map<String, String> env) throws IOException {
    WxConfig config = load(file, env);
    if (config.roles.gateway()) {
      GatewayNode.validate(config.gateway);
    }
    return config;
  }

  static JsonObject readYaml(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      if (parsed == null) {
        return new JsonObject();
      }
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException(file + ": the top level must be a mapping of sections");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      return new JsonObject(typed).copy(); // copy() turns nested maps into JsonObjects
    }
  }

  private static void applyEnvironment(JsonObject json, Map<String, String> env) {
    applyEnvironment(json, WxConfig.defaults(), ENV_PREFIX, env);
    JsonObject properties = json.getJsonObject("kafka").getJsonObject("properties");
    env.forEach((name, value) -> {
      if (name.startsWith(KAFKA_PROPERTY_PREFIX) && name.length() > KAFKA_PROPERTY_PREFIX.length()) {
        properties.put(name.substring(KAFKA_PROPERTY_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
  }

  /** Walks the defaults, so only known keys are read and nested sections are unambiguous. */
  private static void applyEnvironment(JsonObject json, JsonObject defaults, String prefix, Map<String, String> env) {
    forEachSetting(defaults, "", prefix, (path, defaultValue, name) -> {
      if (env.get(name) != null) {
        section(json, path).put(leaf(path), ValueTypes.convert(defaultValue, env.get(name), path + " (" + name + ")"));
      }
    });
  }

  /** Turns each known value of a YAML section into its default's type ({@link ValueTypes}); unknown keys stay as they are. */
  private static void coerce(JsonObject yaml, JsonObject defaults, String path) {
    for (String key : defaults.fieldNames()) {
      if (!yaml.containsKey(key)) {
        continue;
      }
      Object defaultValue = defaults.getValue(key);
      Object value = yaml.getValue(key);
      if (key.equals("properties")) {
        yaml.put(key, ValueTypes.properties(value, path + key));
      } else if (defaultValue instanceof JsonObject nested) {
        if (!(value instanceof JsonObject section)) {
          throw new IllegalArgumentException(path + key + " must be a section (a mapping of settings), got '" + value + "'");
        }
        coerce(section, nested, path + key + ".");
      } else {
        yaml.put(key, ValueTypes.convert(defaultValue, value, path + key));
      }
    }
  }

  /** The section that holds {@code path}'s last key, made when missing. */
  private static JsonObject section(JsonObject json, String path) {
    JsonObject section = json;
    String[] keys = path.split("\\.");
    for (int i = 0; i < keys.length - 1; i++) {
      if (section.getJsonObject(keys[i]) == null) {
        section.put(keys[i], new JsonObject());
      }
      section = section.getJsonObject(keys[i]);
    }
    return section;
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** Every environment variable a key can be set by, with the key's path and default, in order. */
  static void forEachSetting(JsonObject defaults, String path, String prefix, SettingVisitor visitor) {
    for (String key : defaults.fieldNames()) {
      Object value = defaults.getValue(key);
      if (value instanceof JsonObject nested && !key.equals("properties")) {
        forEachSetting(nested, path + key + ".", prefix + upperSnake(key) + "_", visitor);
      } else if (!key.equals("properties")) {
        visitor.visit(path + key, value, prefix + upperSnake(key));
      }
    }
  }

  /** Receives one setting of {@link #forEachSetting}. */
  interface SettingVisitor {
    void visit(String path, Object defaultValue, String envName);
  }

  static String envName(String section, String key) {
    return ENV_PREFIX + upperSnake(section) + "_" + upperSnake(key);
  }

  private static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
