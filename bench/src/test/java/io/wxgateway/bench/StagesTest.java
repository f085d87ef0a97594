package io.wxgateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The CPU-by-stage breakdown names project classes by their full names: a move must not silently turn them into "other". */
class StagesTest {

  @Test
  void everyProjectClassTheRulesNameExists() {
    List<String> missing = new ArrayList<>();
    List<String> named = Stages.projectClasses();
    for (String name : named) {
      try {
        Class.forName(name, false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(name);
      }
    }
    assertTrue(named.size() > 10, "the rules name the project's classes: " + named);
    assertEquals(List.of(), missing, "classes the stage rules name that do not exist");
  }
}
