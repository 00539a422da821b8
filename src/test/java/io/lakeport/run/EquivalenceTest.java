package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The row comparison of the Comet equivalence suite can fail: it tells rows apart by one ulp of a
 * decimal, a null, a missing row or a double beyond the tolerance, and forgives only row order and
 * summation noise in doubles.
 */
class EquivalenceTest {

  @Test
  void doublesMatchWithinTheRelativeToleranceAndNaNMatchesNaN() {
    assertThat(Equivalence.same(1.0, 1.0 + 1e-13)).isTrue();
    assertThat(Equivalence.same(1e300, 1e300 * (1 + 1e-13))).isTrue();
    assertThat(Equivalence.same(1.0, 1.0 + 1e-9)).isFalse();
    assertThat(Equivalence.same(1e-300, 2e-300)).isFalse();
    assertThat(Equivalence.same(Double.NaN, Double.NaN)).isTrue();
    assertThat(Equivalence.same(Double.NaN, 0.0)).isFalse();
    assertThat(Equivalence.same(Double.POSITIVE_INFINITY, Double.MAX_VALUE)).isFalse();
    assertThat(Equivalence.same(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY)).isTrue();
  }

  @Test
  void everythingElseMatchesExactly() {
    assertThat(Equivalence.same(new BigDecimal("1.10"), new BigDecimal("1.1"))).isFalse();
    assertThat(Equivalence.same(new BigDecimal("0.0000000001"), BigDecimal.ZERO)).isFalse();
    assertThat(Equivalence.same("Zürich", "Zu\u0308rich")).as("no Unicode normalisation").isFalse();
    assertThat(Equivalence.same(null, null)).isTrue();
    assertThat(Equivalence.same(null, 0L)).isFalse();
    assertThat(Equivalence.same(1L, 1)).as("types differ").isFalse();
  }

  @Test
  void rowOrderDoesNotMatterButEveryRowDoes() {
    List<List<Object>> plain = List.of(row(1L, "東京", 0.5), row(2L, null, Double.NaN));
    Equivalence.assertSameRows("reordered", List.of(plain.get(1), plain.get(0)), plain);

    assertThatThrownBy(() -> Equivalence.assertSameRows("one lost", plain.subList(0, 1), plain))
        .hasMessageContaining("one lost: rows with Comet (1) against plain Spark (2)")
        .hasMessageContaining("comet null\n  spark [2, null, NaN]");
    assertThatThrownBy(
            () ->
                Equivalence.assertSameRows(
                    "null", List.of(plain.get(0), row(2L, "", Double.NaN)), plain))
        .hasMessageContaining("comet [2, , NaN]\n  spark [2, null, NaN]");
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
