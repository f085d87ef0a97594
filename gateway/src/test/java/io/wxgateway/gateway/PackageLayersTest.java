package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The gateway's packages import each other one way: each may use only the packages listed before it
 * in {@link #LAYERS}, and nothing uses the root package, where the node is wired. Read from the
 * sources, so a class moved or an import added against the grain fails here, naming the file.
 */
class PackageLayersTest {

  private static final String BASE = "io.wxgateway.gateway";
  /** Bottom first. A new package goes where its imports put it; the root (wiring) comes last. */
  static final List<String> LAYERS = List.of("rate", "auth", "tls", "connection", "metrics", "inbound", "session",
      "resume", "delivery", "cluster", "handshake", "admin");
  private static final Path SOURCES = Path.of("src/main/java/io/wxgateway/gateway");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.wxgateway\\.gateway(?:\\.([a-z]+))?\\.[A-Z]");

  @Test
  void everyPackageUsesOnlyThePackagesBelowIt() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : sources()) {
      String from = packageOf(file);
      int level = from.isEmpty() ? LAYERS.size() : LAYERS.indexOf(from);
      for (String to : referencedPackages(file)) {
        if (to.equals(from)) {
          continue;
        }
        boolean below = !to.isEmpty() && LAYERS.indexOf(to) >= 0 && LAYERS.indexOf(to) < level;
        if (!below) {
          violations.add(SOURCES.relativize(file) + " uses " + (to.isEmpty() ? "the root package" : to));
        }
      }
    }
    assertEquals(List.of(), violations, "imports against the layers " + LAYERS);
  }

  @Test
  void everyPackageOnDiskIsALayer() throws IOException {
    Set<String> packages = new TreeSet<>();
    for (Path file : sources()) {
      packages.add(packageOf(file));
    }
    packages.remove("");
    assertTrue(LAYERS.containsAll(packages), "packages not placed in LAYERS: " + packages);
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      List<Path> all = files.filter(f -> f.toString().endsWith(".java")).toList();
      assertTrue(all.size() > 20, "read the gateway's sources from " + SOURCES.toAbsolutePath());
      return all;
    }
  }

  private static String packageOf(Path file) {
    Path dir = SOURCES.relativize(file).getParent();
    return dir == null ? "" : dir.toString().replace('/', '.');
  }

  /** Every gateway package the file names, in imports, code or Javadoc links ("" for the root). */
  private static Set<String> referencedPackages(Path file) throws IOException {
    Set<String> packages = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("package ")) {
        continue;
      }
      Matcher m = REFERENCE.matcher(line);
      while (m.find()) {
        packages.add(m.group(1) == null ? "" : m.group(1));
      }
    }
    return packages;
  }
}
