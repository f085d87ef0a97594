package io.wxgateway.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the configuration: defaults, then the YAML file (if any), then environment variables.
 *
 * <p>Every key {@code section.key} can be overridden by {@code WXGW_SECTION_KEY} (camelCase becomes
 * UPPER_SNAKE: {@code gateway.maxMessageBytes} is {@code WXGW_GATEWAY_MAX_MESSAGE_BYTES}). Kafka
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
    JsonObject defaults = WxConfig.defaults();
    for (String section : defaults.fieldNames()) {
      JsonObject target = json.getJsonObject(section);
      for (String key : defaults.getJsonObject(section).fieldNames()) {
        String value = env.get(envName(section, key));
        if (value != null) {
          target.put(key, convert(defaults.getJsonObject(section).getValue(key), value, envName(section, key)));
        }
      }
    }
    JsonObject properties = json.getJsonObject("kafka").getJsonObject("properties");
    env.forEach((name, value) -> {
      if (name.startsWith(KAFKA_PROPERTY_PREFIX) && name.length() > KAFKA_PROPERTY_PREFIX.length()) {
        properties.put(name.substring(KAFKA_PROPERTY_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
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
    return value;
  }
}
