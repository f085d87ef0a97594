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
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.startsWith("text/") || mediaType.equals(JSON);
  }
}
