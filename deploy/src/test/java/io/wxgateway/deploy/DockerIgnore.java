package io.wxgateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Docker's .dockerignore rules, enough for our patterns: *, ?, **, ! exceptions, last match wins. */
final class DockerIgnore {

  private DockerIgnore() {
  }

  /** Whether the repository's .dockerignore keeps {@code path} (relative to the repository) out of the build context. */
  static boolean ignores(String path) throws IOException {
    Path ignoreFile = Artifacts.REPO.resolve(".dockerignore");
    if (!Files.exists(ignoreFile)) {
      return false;
    }
    String clean = path.replaceAll("^\\./", "").replaceAll("/$", "");
    boolean ignored = false;
    for (String raw : Files.readAllLines(ignoreFile)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exception = line.startsWith("!");
      String pattern = (exception ? line.substring(1) : line).replaceAll("^/", "").replaceAll("/$", "");
      if (matchesItOrAParent(Pattern.compile(globToRegex(pattern)), clean)) {
        ignored = !exception;
      }
    }
    return ignored;
  }

  private static boolean matchesItOrAParent(Pattern regex, String path) {
    for (String candidate = path; ; candidate = candidate.substring(0, candidate.lastIndexOf('/'))) {
      if (regex.matcher(candidate).matches()) {
        return true;
      }
      if (candidate.lastIndexOf('/') < 0) {
        return false;
      }
    }
  }

  static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        re.append(slash ? "(?:.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
