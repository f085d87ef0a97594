package io.wxgateway.common.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the setters do to what they are given, the same way in every options class. */
final class Values {

  private Values() {
  }

  /** Null reads as empty: an unset text setting is "" (which each setting documents). */
  static String text(String value) {
    return value == null ? "" : value;
  }

  static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }

  /** A copy, so the options never share a list with their caller; null is empty. */
  static List<String> list(List<String> values) {
    return values == null ? new ArrayList<>() : new ArrayList<>(values);
  }

  /** A copy in the given order; null is empty. */
  static Map<String, String> map(Map<String, String> values) {
    return values == null ? new LinkedHashMap<>() : new LinkedHashMap<>(values);
  }
}
