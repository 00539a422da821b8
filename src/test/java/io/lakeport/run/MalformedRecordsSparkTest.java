package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.manifest.Manifest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source records that do not parse (CSV lines with a text where a number belongs, JSON lines cut
 * short) are counted and quarantined with their raw text, never silently dropped: the counts and
 * the rejected lines must be exactly the ones the test planted.
 */
class MalformedRecordsSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void malformedCsvLinesAreQuarantinedWithTheirText() throws Exception {
    List<String> lines = new ArrayList<>(List.of("id,amount,note"));
    Set<String> planted = new TreeSet<>();
    for (int i = 0; i < 500; i++) {
      String line = i % 61 == 7 ? i + ",lots," + "bad-" + i : i + "," + (i * 3) + ",ok-" + i;
      lines.add(line);
      if (line.contains("lots")) {
        planted.add(line);
      }
    }
    Path source = Files.createDirectories(dir.resolve("csv"));
    Files.write(source.resolve("part.csv"), lines);

    Manifest m =
        run(
            """
        source { format = csv, path = "%s", schema = "id INT, amount INT, note STRING", options { header = true } }
        plan.select.columns = [id, note]
        """
                .formatted(source),
            "5%");

    assertThat(planted).hasSize(9);
    assertThat(m.totals().rows()).isEqualTo(500 - planted.size());
    assertThat(m.quality().rejectedRows()).isEqualTo(planted.size());
    assertThat(m.quality().rules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rule()).isEqualTo("malformed-records");
              assertThat(r.checked()).isEqualTo(500);
              assertThat(r.failed()).isEqualTo(planted.size());
              assertThat(r.outcome()).isEqualTo("quarantined");
            });
    List<Row> rejected =
        spark
            .read()
            .json(Path.of(URI.create(m.quality().rejectsPath())).resolve("malformed").toString())
            .collectAsList();
    Set<String> texts =
        rejected.stream()
            .map(r -> r.getString(r.fieldIndex("_lakeport_malformed")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(texts).isEqualTo(planted);
    assertThat(rejected)
        .allSatisfy(
            r ->
                assertThat(r.getString(r.fieldIndex("_lakeport_reason")))
                    .startsWith("a CSV record that does not fit the source schema: "));
  }

  @Test
  void brokenJsonLinesAreCountedAndTooManyFailTheRun() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add(
          i % 10 == 0
              ? "{\"id\": " + i + ", \"name\": \"cut"
              : "{\"id\": " + i + ", \"name\": \"n" + i + "\"}");
    }
    Path source = Files.createDirectories(dir.resolve("json"));
    Files.write(source.resolve("part.json"), lines);
    String job = "source { format = json, path = \"%s\" }".formatted(source);

    Manifest tolerated = run(job, "20%");
    RunException refused = catchThrowableOfType(RunException.class, () -> run(job, "5%"));

    assertThat(tolerated.totals().rows()).isEqualTo(90);
    assertThat(tolerated.quality().rejectedRows()).isEqualTo(10);
    assertThat(refused)
        .hasMessageEndingWith(
            "quality rules failed, so nothing was published: malformed-records:"
                + " 10 of 100 rows (10.00%) failed, above max-failed-ratio 5.00%");
  }

  private Manifest run(String source, String ratio) {
    return new ExportRunner(spark, Clock.systemUTC())
        .run(
            Fixtures.job(
                dir,
                """
        name = malformed
        %s
        sink { format = parquet, path = "%s", mode = overwrite }
        quality.max-failed-ratio = %s
        """
                    .formatted(source, dir.resolve("out"), ratio),
                Map.of()))
        .manifest();
  }
}
