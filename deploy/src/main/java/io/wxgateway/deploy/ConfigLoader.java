package io.wxgateway.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 */
final class ConfigLoader {

  static final String ENV_PREFIX = "WXGW_";
  static final String KAFKA_PROPERTY_PREFIX = ENV_PREFIX + "KAFKA_PROPERTY_";

  private ConfigLoader() {
  }

  static WxConfig load(Path file, Map<String, String> env) throws IOException {
    JsonObject json = WxConfig.defaults();
    if (file != null) {
      json.mergeIn(readYaml(file), true);
    }
    applyEnvironment(json, env);
    return new WxConfig(json);
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
  private static void applyEnvironment(JsonObject target, JsonObject defaults, String prefix, Map<String, String> env) {
    for (String key : defaults.fieldNames()) {
      Object defaultValue = defaults.getValue(key);
      String name = prefix + upperSnake(key);
      if (defaultValue instanceof JsonObject nested && !key.equals("properties")) {
        if (target.getJsonObject(key) == null) {
          target.put(key, new JsonObject());
        }
        applyEnvironment(target.getJsonObject(key), nested, name + "_", env);
      } else if (env.get(name) != null) {
        target.put(key, convert(defaultValue, env.get(name), name));
      }
    }
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

  private static Object convert(Object defaultValue, String value, String name) {
    try {
      if (defaultValue instanceof Integer) {
        return Integer.parseInt(value.trim());
      }
      if (defaultValue instanceof Long) {
        return Long.parseLong(value.trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
    }
    if (defaultValue instanceof Boolean) {
      return Boolean.parseBoolean(value.trim());
    }
    if (defaultValue instanceof JsonArray) {
      JsonArray list = new JsonArray();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return list;
    }
    return value;
  }
}
