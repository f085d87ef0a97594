package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** deploy/docker/Dockerfile read as its stages, each a list of instructions (continued lines joined, comments dropped). */
final class Dockerfile {

  /** An instruction: its keyword upper-cased, its arguments as written. */
  record Instruction(String keyword, String args) {
  }

  private Dockerfile() {
  }

  /** The stages in order; each starts with its FROM. */
  static List<List<Instruction>> stages() throws IOException {
    List<List<Instruction>> stages = new ArrayList<>();
    for (String line : logicalLines()) {
      String[] parts = line.split("\\s+", 2);
      Instruction ins = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : "");
      if (ins.keyword().equals("FROM")) {
        stages.add(new ArrayList<>());
      }
      assertFalse(stages.isEmpty(), "the Dockerfile starts with FROM: " + line);
      stages.get(stages.size() - 1).add(ins);
    }
    return stages;
  }

  /** The stage's instructions of that keyword, in order. */
  static List<Instruction> all(List<Instruction> stage, String keyword) {
    return stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The uid of the runtime stage's last USER: the user the container runs as. */
  static int uid() throws IOException {
    List<List<Instruction>> stages = stages();
    List<Instruction> users = all(stages.get(stages.size() - 1), "USER");
    return Integer.parseInt(users.get(users.size() - 1).args().split(":")[0]);
  }

  /** Instructions on one line each: backslash continuations joined, comments and blank lines dropped. */
  private static List<String> logicalLines() throws IOException {
    StringBuilder logical = new StringBuilder();
    List<String> lines = new ArrayList<>();
    for (String raw : Files.readAllLines(Artifacts.DOCKERFILE)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && logical.isEmpty())) {
        continue;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      lines.add(logical.toString().strip());
      logical.setLength(0);
    }
    return lines.stream().filter(l -> !l.isEmpty()).toList();
  }
}
