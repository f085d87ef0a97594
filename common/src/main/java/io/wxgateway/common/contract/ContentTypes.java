package io.wxgateway.common.contract;

import java.util.Locale;

/** Content types of the contract and the rule that maps an outbound content type to a frame type. */
public final class ContentTypes {

  public static final String TEXT_UTF8 = "text/plain; charset=utf-8";
  public static final String OCTET_STREAM = "application/octet-stream";
  public static final String JSON = "application/json";

  private ContentTypes() {
  }

  /**
   * Whether an outbound record becomes a text message: {@code text/*} and {@code application/json}
   * do, a missing content type does, anything else is binary.
   */
  public static boolean isText(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    int end = contentType.indexOf(';');
    end = end < 0 ? contentType.length() : end;
    int start = 0;
    while (start < end && contentType.charAt(start) <= ' ') { // as String.trim
      start++;
    }
    while (end > start && contentType.charAt(end - 1) <= ' ') {
      end--;
    }
    for (int i = start; i < end; i++) {
      if (contentType.charAt(i) >= 0x80) { // lower-casing beyond ASCII has its own rules: the plain way
        String mediaType = contentType.substring(start, end).toLowerCase(Locale.ROOT);
        return mediaType.startsWith("text/") || mediaType.equals(JSON);
      }
    }
    // Every record asks this: compared in place, where split, trim and toLowerCase made four objects.
    return contentType.regionMatches(true, start, "text/", 0, 5)
        || end - start == JSON.length() && contentType.regionMatches(true, start, JSON, 0, JSON.length());
  }
}
