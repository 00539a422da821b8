package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport explain} with the Comet accelerator, in child JVMs (Comet's plugin is fixed when
 * the Spark context starts, and a test JVM has one context): with the site's default ({@code auto},
 * which is Comet in an embedded local run) it lists the operators Comet runs natively, the same
 * ones Spark's own formatted plan shows as {@code Comet*}, and counts them in one line; with {@code
 * --accelerator none} it says the accelerator is off and how to turn it on. The parquet source is
 * written without Spark.
 */
class AcceleratorExplainTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** A numbered operator of Spark's formatted plan: {@code (3) CometFilter}. */
  private static final Pattern SPARK_OPERATOR = Pattern.compile("(?m)^\\((\\d+)\\) (\\w+)");

  @TempDir Path home;

  @Test
  void explainSaysWhichOperatorsTheDefaultRunsOnCometAndThatNoneTurnsItOff() throws Exception {
    Path job = peopleJob();

    ChildLakeport.Finished comet = ChildLakeport.run(home, TIMEOUT, "explain", job.toString());

    String output = comet.output();
    assertThat(comet.exitCode()).as(output).isZero();
    String accelerator = output.substring(output.indexOf("== Accelerator =="));
    List<String> natives = new ArrayList<>();
    accelerator
        .lines()
        .filter(line -> line.startsWith("  native  "))
        .map(line -> line.substring("  native  ".length()))
        .forEach(
            rest -> natives.add(rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest));
    List<String> sparkNatives = new ArrayList<>();
    Matcher operator =
        SPARK_OPERATOR.matcher(output.substring(0, output.indexOf("== Accelerator")));
    while (operator.find()) {
      String name = operator.group(2);
      if (name.startsWith("Comet") && !name.endsWith("ColumnarToRow")) {
        sparkNatives.add(name);
      }
    }
    assertThat(sparkNatives).as(output).isNotEmpty().contains("CometFilter");
    assertThat(natives).as(output).containsExactlyInAnyOrderElementsOf(sparkNatives);
    long all =
        accelerator.lines().filter(line -> line.matches("  (native|spark) {2,3}\\S.*")).count();
    assertThat(accelerator)
        .as(output)
        .startsWith(
            "== Accelerator ==\nComet runs "
                + natives.size()
                + " of "
                + all
                + " operators natively.");

    ChildLakeport.Finished plain =
        ChildLakeport.run(home, TIMEOUT, "explain", job.toString(), "--accelerator", "none");

    assertThat(plain.exitCode()).as(plain.output()).isZero();
    assertThat(plain.output())
        .contains(
            "== Accelerator ==\nThe accelerator is off (none): every operator runs on Spark.",
            "--accelerator comet",
            "lakeport.spark.accelerator = comet")
        .doesNotContain("Comet runs");
  }

  /** A parquet table of 200 people and a job exporting those aged 40 or more. */
  private Path peopleJob() throws Exception {
    Path table = home.resolve("people.parquet");
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message people { required int64 id; required int32 age; required binary name (UTF8); }");
    Configuration conf = new Configuration();
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(table.resolve("part-0.parquet").toUri()), conf))
            .withType(schema)
            .withConf(conf)
            .build()) {
      SimpleGroupFactory rows = new SimpleGroupFactory(schema);
      for (int i = 0; i < 200; i++) {
        writer.write(
            rows.newGroup()
                .append("id", (long) i)
                .append("age", 18 + i % 60)
                .append("name", "p" + i));
      }
    }
    Fixtures.write(
        Files.createDirectories(home.resolve("conf")),
        "application.conf",
        "lakeport.exports = \"" + home.resolve("exports") + "\"\n");
    return Fixtures.write(
        home,
        "people.conf",
        """
        name = people
        source { format = parquet, path = "%s" }
        plan { where = { column = age, gte = 40 } }
        sink { format = parquet, path = ${lakeport.exports}/people, mode = overwrite }
        """
            .formatted(table));
  }
}
