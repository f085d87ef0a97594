package io.wxgateway.gateway.handshake;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Referer a mini program sends and cannot set:
 * {@code https://servicewechat.com/{appid}/{version}/page-frame.html}. Version {@code 0} is a
 * development or trial build, {@code devtools} the IDE. Any client can forge it: it identifies, it
 * does not authenticate.
 *
 * @param appId the mini program's AppID
 * @param version the release number, {@code 0} or {@code devtools}
 */
public record WxReferer(String appId, String version) {

  private static final Pattern PATTERN =
      Pattern.compile("^https://servicewechat\\.com/([A-Za-z0-9_-]{1,64})/([A-Za-z0-9._-]{1,32})/page-frame\\.html$");

  /** The parsed Referer, or null when the header is missing or is not a mini program's. */
  public static WxReferer parse(String referer) {
    if (referer == null) {
      return null;
    }
    Matcher m = PATTERN.matcher(referer.trim());
    return m.matches() ? new WxReferer(m.group(1), m.group(2)) : null;
  }
}
