package io.lakeport.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's repetitions visit every order of the compared runs. */
class BenchOrderTest {
  @Test
  void everyOrderComesUpOnceInNFactorialRepetitionsThenAgain() {
    List<String> engines = List.of("lakeport", "spark", "duckdb");
    Set<List<String>> seen = new HashSet<>();
    for (int rep = 0; rep < 6; rep++) {
      List<String> order = BenchCases.order(rep, engines);
      assertThat(order).containsExactlyInAnyOrderElementsOf(engines);
      seen.add(order);
    }
    assertThat(seen).hasSize(6);
    assertThat(BenchCases.order(6, engines)).isEqualTo(BenchCases.order(0, engines));
    assertThat(BenchCases.order(1, List.of("a", "b"))).containsExactly("b", "a");
  }

  @Test
  void fourEnginesVisitAll24OrdersAndEachStartsOnceInFourRepetitions() {
    List<String> engines = List.of("accelerated", "lakeport", "spark", "duckdb");
    Set<List<String>> seen = new HashSet<>();
    for (int rep = 0; rep < 24; rep++) {
      seen.add(BenchCases.order(rep, engines));
    }
    assertThat(seen).hasSize(24);
    for (int start = 0; start < 24; start += 4) {
      Set<String> first = new HashSet<>();
      for (int rep = start; rep < start + 4; rep++) {
        first.add(BenchCases.order(rep, engines).get(0));
      }
      assertThat(first).containsExactlyInAnyOrderElementsOf(engines);
    }
  }
}
