package io.lakeport.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one thing, in seconds (or any unit), with min, median and max. */
record Samples(List<Double> values) {
  Samples {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    values = List.copyOf(values);
  }

  static Samples of(List<Double> values) {
    return new Samples(values);
  }

  double min() {
    return sorted().get(0);
  }

  double max() {
    return sorted().get(values.size() - 1);
  }

  double median() {
    List<Double> sorted = sorted();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** "min / median / max" with {@code decimals} decimals. */
  String spread(int decimals) {
    String f = "%." + decimals + "f";
    return String.format(Locale.ROOT, f + " / " + f + " / " + f, min(), median(), max());
  }

  private List<Double> sorted() {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted;
  }
}
