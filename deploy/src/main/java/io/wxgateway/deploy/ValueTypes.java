package io.wxgateway.deploy;

import java.math.BigDecimal;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A setting's value, as YAML or the environment gives it, in the type of its default: the options'
 * JSON readers skip a value of another type without a word, so a quoted {@code port: "8080"} or an
 * environment variable would be lost. What cannot be converted is refused, naming the setting.
 */
final class ValueTypes {

  private ValueTypes() {
  }

  /**
   * {@code value} as the type of {@code defaultValue}: whole numbers (in range), fractions, booleans,
   * lists (a sequence, or a comma-separated text), text (an empty YAML value is empty text).
   */
  static Object convert(Object defaultValue, Object value, String name) {
    if (defaultValue instanceof Integer) {
      long whole = whole(value, name);
      if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be a whole number of at most " + Integer.MAX_VALUE
            + ", got '" + value + "'");
      }
      return (int) whole;
    }
    if (defaultValue instanceof Long) {
      return whole(value, name);
    }
    if (defaultValue instanceof Double) {
      return fraction(value, name);
    }
    if (defaultValue instanceof Boolean) {
      return bool(value, name);
    }
    if (defaultValue instanceof JsonArray) {
      return list(value, name);
    }
    if (value == null) {
      return defaultValue == null ? null : "";
    }
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new IllegalArgumentException(name + " must be a single value, got " + value);
    }
    return String.valueOf(value);
  }

  /** A {@code properties} section: names to text values, passed through to Kafka or Hazelcast. */
  static JsonObject properties(Object value, String name) {
    JsonObject out = new JsonObject();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonObject section)) {
      throw new IllegalArgumentException(name + " must be a mapping of property names to values, got '" + value + "'");
    }
    section.forEach(e -> out.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue())));
    return out;
  }

  private static long whole(Object value, String name) {
    try {
      if (value instanceof Number number) {
        return new BigDecimal(number.toString()).longValueExact();
      }
      if (value instanceof String text) {
        return Long.parseLong(text.trim());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // refused below
    }
    throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
  }

  private static double fraction(Object value, String name) {
    try {
      if (value instanceof Number number) {
        return number.doubleValue();
      }
      if (value instanceof String text) {
        return Double.parseDouble(text.trim());
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
  }

  private static boolean bool(Object value, String name) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String text && (text.trim().equalsIgnoreCase("true") || text.trim().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(text.trim());
    }
    throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
  }

  private static JsonArray list(Object value, String name) {
    List<?> items;
    if (value instanceof JsonArray array) {
      items = array.getList();
    } else if (value instanceof List<?> l) {
      items = l;
    } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      items = List.of(String.valueOf(value).split(","));
    } else if (value == null) {
      items = List.of();
    } else {
      throw new IllegalArgumentException(name + " must be a list (a sequence, or comma-separated), got " + value);
    }
    JsonArray out = new JsonArray();
    for (Object item : items) {
      if (item instanceof JsonObject || item instanceof JsonArray || item instanceof java.util.Map<?, ?>) {
        throw new IllegalArgumentException(name + " must be a list of single values, got " + value);
      }
      if (item != null && !String.valueOf(item).isBlank()) {
        out.add(String.valueOf(item).trim());
      }
    }
    return out;
  }
}
