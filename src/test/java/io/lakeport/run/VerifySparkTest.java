package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.cli.Lakeport;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Verifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport verify} against real exports that the test then damages: a deleted, an added and
 * a modified file (same size, one byte changed, so only the SHA-256 can tell); and the manifests
 * against the JSON Schema published in {@code docs/manifest.schema.json}.
 */
class VerifySparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void catchesADeletedAnAddedAndAModifiedFile() throws Exception {
    Path out = dir.resolve("out");
    RunResult result = export(out, "partition-by = [day], max-records-per-file = 10");
    Manifest m = result.manifest();
    Verifier verifier = new Verifier(new Configuration());
    assertThat(verifier.verify(result.manifestPath().orElseThrow()).differences()).isEmpty();
    assertThat(verifier.verify(out.toString()).manifest().orElseThrow().runId())
        .as("an export folder: its newest manifest")
        .isEqualTo(m.runId());

    String deleted = m.files().get(0).path();
    String modified = m.files().get(1).path();
    Files.delete(out.resolve(deleted));
    byte[] bytes = Files.readAllBytes(out.resolve(modified));
    bytes[bytes.length / 2] ^= 1;
    Files.write(out.resolve(modified), bytes);
    String added = deleted.substring(0, deleted.indexOf('/')) + "/part-99999-stray.snappy.parquet";
    Files.copy(out.resolve(m.files().get(2).path()), out.resolve(added));
    Files.writeString(
        out.resolve(deleted.substring(0, deleted.indexOf('/'))).resolve("_ignored"), "hidden");

    Verifier.Report report = verifier.verify(result.manifestPath().orElseThrow());

    assertThat(report.differences())
        .extracting(Verifier.Difference::kind, Verifier.Difference::path)
        .containsExactlyInAnyOrder(
            Tuple.tuple(Verifier.Difference.Kind.MISSING, deleted),
            Tuple.tuple(Verifier.Difference.Kind.EXTRA, added),
            Tuple.tuple(Verifier.Difference.Kind.CHANGED, modified));
    assertThat(report.differences())
        .filteredOn(d -> d.path().equals(modified))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.detail())
                    .startsWith("SHA-256 ")
                    .endsWith("manifest says " + m.files().get(1).sha256()));

    StringWriter out2 = new StringWriter();
    int exit =
        Lakeport.execute(
            new PrintWriter(out2), new PrintWriter(new StringWriter()), "verify", out.toString());
    assertThat(exit).isEqualTo(4);
    assertThat(out2.toString())
        .contains("missing  " + deleted + ": in the manifest, not in the export")
        .contains("extra    " + added + ": in the export, not in the manifest")
        .contains("3 differences: " + m.files().size() + " files");
  }

  @Test
  void anOverwriteOwnsTheWholeExportAndAnIntactOneExitsZero() throws Exception {
    Path out = dir.resolve("flat");
    RunResult result = export(out, "mode = overwrite");
    StringWriter printed = new StringWriter();

    int exit =
        Lakeport.execute(
            new PrintWriter(printed),
            new PrintWriter(new StringWriter()),
            "verify",
            result.manifestPath().orElseThrow());
    Files.writeString(out.resolve("notes.txt"), "a file nobody exported");
    Verifier.Report damaged = new Verifier(new Configuration()).verify(out.toString());

    assertThat(exit).isZero();
    assertThat(printed.toString())
        .startsWith("intact: " + result.manifest().files().size() + " files");
    assertThat(damaged.differences())
        .extracting(Verifier.Difference::path)
        .containsExactly("notes.txt");
  }

  @Test
  void manifestsFollowThePublishedSchema() throws Exception {
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                Files.readString(Path.of("docs", "manifest.schema.json")),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    ObjectMapper json = new ObjectMapper();
    RunResult sized = export(dir.resolve("a"), "partition-by = [day], target-file-size = 1MB");
    RunResult plain =
        export(
            dir.resolve("b"),
            "mode = overwrite, compression = gzip }\n"
                + "quality { max-failed-ratio = 20%, rules = [ { column = id, lt = 80 }, { unique = [id], action = fail } ]");

    for (RunResult result : new RunResult[] {sized, plain}) {
      JsonNode manifest = json.readTree(result.manifest().toJson());
      Set<ValidationMessage> problems = schema.validate(manifest);
      assertThat(problems).as(result.manifest().runId()).isEmpty();
    }
    assertThat(plain.manifest().quality().rejectedRows()).isEqualTo(10);
    assertThat(plain.manifest().params())
        .containsEntry("api_token", "****")
        .containsEntry("run_date", "2026-10-02");
    assertThat(new String(plain.manifest().toJson(), StandardCharsets.UTF_8))
        .doesNotContain("s3cr3t");
    assertThat(plain.manifest().window())
        .isEqualTo(new Manifest.LogicalWindow("2026-10-02", "2026-10-02", "2026-10-03"));
    ObjectNode drifted = (ObjectNode) json.readTree(plain.manifest().toJson());
    drifted.put("surprise", 1);
    ((ObjectNode) drifted.get("totals")).remove("rows");
    assertThat(schema.validate(drifted))
        .extracting(ValidationMessage::getMessage)
        .anySatisfy(m -> assertThat(m).contains("surprise"))
        .anySatisfy(m -> assertThat(m).contains("rows"));
  }

  private RunResult export(Path out, String sink) {
    String source = dir.resolve("source").toString();
    if (!Files.isDirectory(Path.of(source))) {
      spark
          .range(90)
          .select(
              functions.col("id"),
              functions
                  .date_add(
                      functions.lit(Date.valueOf("2026-10-01")),
                      functions.col("id").mod(3).cast("int"))
                  .as("day"))
          .write()
          .parquet(source);
    }
    return new ExportRunner(spark, Clock.systemUTC())
        .run(
            Fixtures.job(
                dir,
                """
        name = verify-test
        params { run_date = "2026-10-02", api_token = "s3cr3t" }
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", %s }
        """
                    .formatted(source, out, sink),
                Map.of()));
  }
}
