package io.wxgateway.common.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-place check gives what split, trim and toLowerCase gave, for every kind of content type. */
class ContentTypesTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "text/plain", "TEXT/Plain; charset=utf-8", " text/ ", "text", "text/;x",
      "application/json", "Application/JSON ; charset=utf-8", "application/jsonx", "application/json+x",
      "\tapplication/json\t", "application/octet-stream", "image/png", ";text/plain", "tExt/html;", "application/j",
      "appl\u0130cation/json", "application/j\u017fon", "\u212Aext/plain", "te\u0130xt/plain", "text/\u00e9",
      "\u00a0text/plain", "\u2000text/plain"})
  void sameAsTheStringWay(String contentType) {
    assertEquals(stringWay(contentType), ContentTypes.isText(contentType), contentType);
  }

  @Test
  void missingIsText() {
    assertTrue(ContentTypes.isText(null));
  }

  private static boolean stringWay(String contentType) {
    if (contentType.isBlank()) {
      return true;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.startsWith("text/") || mediaType.equals(ContentTypes.JSON);
  }
}
