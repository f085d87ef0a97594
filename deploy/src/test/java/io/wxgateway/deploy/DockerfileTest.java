package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.DEPLOY;
import static io.wxgateway.deploy.Artifacts.REPO;
import static io.wxgateway.deploy.Artifacts.assertNoProblems;
import static io.wxgateway.deploy.Dockerfile.all;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.vertx.core.json.JsonArray;
import io.wxgateway.deploy.Dockerfile.Instruction;
import org.junit.jupiter.api.Test;

/** deploy/docker/Dockerfile, read without a container engine: its stages, its user, and what it copies. */
class DockerfileTest {

  @Test
  void theDockerfileBuildsWithMavenAndRunsTheDistributionAsANonRootUserWithAHealthCheck() throws IOException {
    List<List<Instruction>> stages = Dockerfile.stages();
    assertEquals(2, stages.size(), "a build stage and a runtime stage");
    List<Instruction> build = stages.get(0);
    List<Instruction> runtimeStage = stages.get(1);

    assertTrue(build.get(0).args().matches("(?i)maven:3\\.9-eclipse-temurin-17\\s+AS\\s+build"), build.get(0).args());
    assertTrue(runtimeStage.get(0).args().startsWith("eclipse-temurin:17-jre"), runtimeStage.get(0).args());
    assertTrue(all(build, "RUN").stream().anyMatch(r -> r.args().startsWith("mvn ") && r.args().contains("-DskipTests")
        && r.args().matches(".*\\bpackage\\b.*")), "the build stage runs mvn -DskipTests package");

    List<Instruction> users = all(runtimeStage, "USER");
    assertFalse(users.isEmpty(), "the runtime stage sets a USER");
    String user = users.get(users.size() - 1).args().split(":")[0];
    assertTrue(user.matches("\\d+") && Integer.parseInt(user) > 0, "a fixed, numeric, non-root uid: " + user);

    List<Instruction> health = all(runtimeStage, "HEALTHCHECK");
    assertEquals(1, health.size(), "one HEALTHCHECK");
    assertTrue(health.get(0).args().contains(" CMD ") && health.get(0).args().contains("/health/live"),
        health.get(0).args());

    List<Instruction> entry = all(runtimeStage, "ENTRYPOINT");
    assertEquals(1, entry.size());
    assertEquals("/opt/wx-gateway/bin/wx-gateway", new JsonArray(entry.get(0).args()).getString(0),
        "exec form, so the JVM is PID 1 and gets SIGTERM");

    Set<String> exposed = all(runtimeStage, "EXPOSE").stream()
        .flatMap(e -> Stream.of(e.args().split("\\s+"))).collect(Collectors.toSet());
    assertTrue(exposed.containsAll(Set.of("8080", "9090")), "EXPOSE 8080 9090: " + exposed);
    assertTrue(all(runtimeStage, "ENV").stream().anyMatch(e -> e.args().contains("MaxRAMPercentage")),
        "a container-aware heap");
  }

  @Test
  void theRuntimeStageCopiesTheDistributionThatMavenPackageMakes() throws IOException {
    List<List<Instruction>> stages = Dockerfile.stages();
    List<Instruction> fromBuild = all(stages.get(1), "COPY").stream().filter(c -> c.args().startsWith("--from=build"))
        .toList();
    assertEquals(1, fromBuild.size());
    String[] copy = fromBuild.get(0).args().split("\\s+");
    String workdir = all(stages.get(0), "WORKDIR").get(0).args();
    assertEquals(workdir.replaceAll("/$", "") + "/deploy/target/wx-gateway", copy[1]);
    assertEquals("/opt/wx-gateway", copy[2]);
    String deployPom = Files.readString(DEPLOY.resolve("pom.xml"));
    assertTrue(deployPom.contains("${project.build.directory}/wx-gateway/lib"), "deploy/pom.xml builds target/wx-gateway/lib");
    assertTrue(deployPom.contains("src/main/dist"), "deploy/pom.xml copies src/main/dist into target/wx-gateway");
    assertTrue(Files.exists(DEPLOY.resolve("src/main/dist/bin/wx-gateway")), "the bin script the ENTRYPOINT runs");
  }

  @Test
  void everyPathTheDockerfileCopiesFromTheContextExistsAndIsNotDockerignored() throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> sources = new TreeSet<>();
    for (List<Instruction> stage : Dockerfile.stages()) {
      for (Instruction copy : all(stage, "COPY")) {
        if (!copy.args().startsWith("--from")) {
          List<String> args = Stream.of(copy.args().split("\\s+")).filter(a -> !a.startsWith("--")).toList();
          sources.addAll(args.subList(0, args.size() - 1));
        }
      }
    }
    for (String source : sources) {
      if (!Files.exists(REPO.resolve(source))) {
        problems.add("COPY " + source + ": no such path in the repository");
      }
      if (DockerIgnore.ignores(source)) {
        problems.add("COPY " + source + ": excluded by .dockerignore");
      }
    }
    checkEveryModuleIsCopied(sources, problems);
    checkNpmRunsAfterPackage(problems);
    assertNoProblems(problems);
  }

  /** The reactor in the build stage needs every module's pom, and the sources of every module with code. */
  private static void checkEveryModuleIsCopied(Set<String> sources, List<String> problems) throws IOException {
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(REPO.resolve("pom.xml")));
    int modules = 0;
    while (module.find()) {
      modules++;
      String name = module.group(1).trim();
      if (!sources.contains(name + "/pom.xml")) {
        problems.add("module " + name + ": the Dockerfile does not COPY " + name + "/pom.xml");
      }
      boolean pomPackaging = Files.readString(REPO.resolve(name + "/pom.xml")).contains("<packaging>pom</packaging>");
      if (!pomPackaging && !sources.contains(name + "/src")) {
        problems.add("module " + name + ": the Dockerfile does not COPY " + name + "/src");
      }
    }
    assertTrue(modules >= 5, "read the modules of the root pom");
  }

  /** client/ is copied as a pom only: that is right only while npm runs after the package phase. */
  private static void checkNpmRunsAfterPackage(List<String> problems) throws IOException {
    Matcher phase = Pattern.compile("<phase>([^<]+)</phase>").matcher(Files.readString(REPO.resolve("client/pom.xml")));
    while (phase.find()) {
      if (!Set.of("pre-integration-test", "integration-test", "post-integration-test", "verify")
          .contains(phase.group(1).trim())) {
        problems.add("client/pom.xml binds npm to phase " + phase.group(1) + ": mvn package in the image would need Node");
      }
    }
  }

  @Test
  void theDockerignoreMatcherFollowsDockersGlobRules() {
    assertTrue("target".matches(DockerIgnore.globToRegex("**/target")), "** matches no directory too");
    assertTrue("gateway/target".matches(DockerIgnore.globToRegex("**/target")));
    assertTrue("a/b/node_modules".matches(DockerIgnore.globToRegex("**/node_modules")));
    assertTrue("x.iml".matches(DockerIgnore.globToRegex("*.iml")));
    assertFalse("gateway/x.iml".matches(DockerIgnore.globToRegex("*.iml")), "* does not cross a /");
    assertFalse("dat".matches(DockerIgnore.globToRegex("data")));
    assertTrue("data1".matches(DockerIgnore.globToRegex("data?")));
  }
}
