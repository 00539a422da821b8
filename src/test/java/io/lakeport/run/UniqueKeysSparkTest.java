package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.TestSpark;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The unique-key count on generated keys, against a count in plain Java: unique keys are settled by
 * the hash pass alone (no aggregation runs), and every repeat, including the ones only the hashes
 * share, ends in the exact count.
 */
class UniqueKeysSparkTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("code", DataTypes.StringType)
          .add("part", DataTypes.IntegerType)
          .add("score", DataTypes.DoubleType);

  private final SparkSession spark = TestSpark.session();

  /** {@code count} rows with unique ids, codes unique per part, and scores. */
  private static List<Row> rows(int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create((long) i * 7919, "k-" + (i / 3) + "-ü", i % 3, i / 10.0));
    }
    return rows;
  }

  @Test
  void uniqueKeysAreSettledByTheHashesWithoutAnAggregation() throws Exception {
    List<Row> data = rows(20_000);
    Dataset<Row> frame = spark.createDataFrame(data, SCHEMA);
    PlanNodes plans = PlanNodes.listen(spark.sparkContext());
    try {
      plans.clear();
      assertThat(UniqueKeys.duplicates(frame, List.of("id"), data.size())).isZero();
      assertThat(UniqueKeys.duplicates(frame, List.of("code", "part"), data.size())).isZero();
      assertThat(plans.names())
          .as("no aggregation ran: %s", plans.describe())
          .doesNotContain("HashAggregate", "ObjectHashAggregate", "SortAggregate");
      // the same keys without the part repeat: every code occurs three times
      assertThat(UniqueKeys.duplicates(frame, List.of("code"), data.size()))
          .isEqualTo(extraRows(data, r -> List.of(r.get(1))))
          .isEqualTo(data.size() - data.size() / 3 - (data.size() % 3 == 0 ? 0 : 1));
    } finally {
      spark.sparkContext().removeSparkListener(plans);
    }
  }

  @Test
  void repeatedKeysAreCountedExactly() {
    List<Row> data = new ArrayList<>(rows(5_000));
    Random random = new Random(20);
    for (int i = 0; i < 300; i++) {
      data.add(data.get(random.nextInt(5_000))); // repeats, some of them twice or more
    }
    for (int i = 0; i < 1_000; i++) {
      data.add(RowFactory.create(42L, "hot", 1, 0.5)); // one key a thousand times
    }
    data.add(RowFactory.create(null, null, null, null));
    data.add(RowFactory.create(null, null, null, null)); // null keys group together
    Dataset<Row> frame = spark.createDataFrame(data, SCHEMA);

    assertThat(UniqueKeys.duplicates(frame, List.of("id"), data.size()))
        .isEqualTo(extraRows(data, r -> java.util.Arrays.asList(r.get(0))))
        .isEqualTo(300 + 999 + 1); // the repeats, the hot key's extra copies, one null
    assertThat(UniqueKeys.duplicates(frame, List.of("code", "part"), data.size()))
        .isEqualTo(extraRows(data, r -> java.util.Arrays.asList(r.get(1), r.get(2))));
  }

  @Test
  void aRepeatFarApartInOneTaskIsFound() {
    // one task reads 1.2M keys, more than it holds at once: the repeat of 3 comes in a later chunk
    long count = 1_200_000;
    Dataset<Row> keys =
        spark
            .range(0, count, 1, 1)
            .selectExpr("case when id = %d then 3 else id end as id".formatted(count - 1));
    assertThat(UniqueKeys.duplicates(keys, List.of("id"), count)).isEqualTo(1);
    assertThat(UniqueKeys.duplicates(spark.range(0, count, 1, 1).toDF(), List.of("id"), count))
        .isZero();
  }

  @Test
  void keysThatOnlyShareAHashAreNotDuplicates() throws Exception {
    // xxhash64 skips nulls, so (null, 5) and (5, null) hash alike: the exact count must settle it
    StructType pair =
        new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.IntegerType);
    Dataset<Row> frame =
        spark.createDataFrame(
            List.of(RowFactory.create(null, 5), RowFactory.create(5, null)), pair);
    PlanNodes plans = PlanNodes.listen(spark.sparkContext());
    try {
      plans.clear();
      assertThat(UniqueKeys.duplicates(frame, List.of("a", "b"), 2)).isZero();
      assertThat(plans.names())
          .as("the shared hash led to the exact count: %s", plans.describe())
          .contains("HashAggregate");
    } finally {
      spark.sparkContext().removeSparkListener(plans);
    }
  }

  @Test
  void floatingPointKeysGroupAsSparkGroupsThem() {
    // Spark groups -0.0 with 0.0 and every NaN with NaN; their bits (and hashes) differ
    List<Row> data = new ArrayList<>();
    for (double score :
        new double[] {0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff8000000000001L), 1.0}) {
      data.add(RowFactory.create(1L, "x", 1, score));
    }
    Dataset<Row> frame = spark.createDataFrame(data, SCHEMA);
    assertThat(UniqueKeys.duplicates(frame, List.of("score"), data.size())).isEqualTo(2);
  }

  @Test
  void theSetOfLongsHoldsWhatAHashSetHolds() {
    Random random = new Random(7);
    UniqueKeys.LongSet set = new UniqueKeys.LongSet();
    Set<Long> expected = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      // small values collide in the low bits; zero is the empty slot's value
      long value = i % 3 == 0 ? random.nextInt(50_000) : random.nextLong();
      assertThat(set.add(value)).as("add %d", value).isEqualTo(expected.add(value));
    }
    for (long value : expected) {
      assertThat(set.add(value)).as("again %d", value).isFalse();
    }
  }

  /** Rows beyond the first of each key, counted in Java (nulls equal, as Spark groups them). */
  private static long extraRows(List<Row> rows, Function<Row, List<Object>> key) {
    Map<List<Object>, Long> counts =
        rows.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    return counts.values().stream().mapToLong(n -> n - 1).sum();
  }
}
