package io.lakeport.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lakeport.Fixtures;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Site settings, manifests and run histories for notification tests. */
public final class NotifyFixtures {
  private NotifyFixtures() {}

  /**
   * Site settings with {@code notifications} as the {@code lakeport.notifications} block and a
   * history in {@code dir}.
   */
  static Site site(Path dir, String notifications) {
    return site(dir, notifications, "");
  }

  /** As {@link #site(Path, String)}, with more settings of the {@code lakeport} block. */
  static Site site(Path dir, String notifications, String more) {
    Path conf =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport {\n  history.url = \"jdbc:h2:file:"
                + dir.resolve("history/lakeport")
                + "\"\n  notifications {\n"
                + notifications
                + "\n  }\n"
                + more
                + "\n}\n");
    return Site.load(Optional.of(conf));
  }

  /**
   * S3 settings for an S3-compatible store at {@code endpoint}, keys as s3a takes them (tests
   * only).
   */
  static String s3(String endpoint, String accessKey, String secretKey) {
    return "s3 { endpoint = \""
        + endpoint
        + "\", region = us-east-1, path-style-access = true }\n"
        + "spark.conf { \"spark.hadoop.fs.s3a.access.key\" = \""
        + accessKey
        + "\", \"spark.hadoop.fs.s3a.secret.key\" = \""
        + secretKey
        + "\" }";
  }

  /**
   * The site's history, with a manual run {@code runId} of {@code job} in it (notifications refer
   * to runs).
   */
  static HistoryStore history(Site site, String job, String runId) {
    HistoryStore store = HistoryStore.open(site.history(), Clock.systemUTC());
    store.runLog().enqueue(new RunRequest(runId, job, Optional.empty(), Trigger.MANUAL, Map.of()));
    return store;
  }

  /**
   * A manifest of a published run that wrote {@code files} under {@code sinkPath}, its quality
   * rules warned or not.
   */
  static Manifest manifest(
      String job, String runId, String sinkPath, List<OutputFile> files, String qualityOutcome) {
    long rows = files.stream().mapToLong(OutputFile::rows).sum();
    long bytes = files.stream().mapToLong(OutputFile::bytes).sum();
    Manifest.Quality quality =
        new Manifest.Quality(
            List.of(
                new Manifest.RuleResult(
                    "amount >= 0",
                    "row",
                    "warn",
                    rows,
                    qualityOutcome.equals("warned") ? 2 : 0,
                    0.0,
                    0.0,
                    qualityOutcome,
                    "")),
            0,
            null);
    return new Manifest(
        Manifest.VERSION,
        job,
        runId,
        "jobs/" + job + ".conf",
        Map.of("run_date", "2026-11-23"),
        new Manifest.LogicalWindow("2026-11-23", "2026-11-23", "2026-11-24"),
        "test",
        "4.1.1",
        Map.of(),
        null,
        new Manifest.SinkInfo("csv", sinkPath, "overwrite", List.of(), "none", null),
        null,
        List.of(),
        new Manifest.Totals(rows, files.size(), bytes, rows, Map.of(), null, null),
        quality,
        List.of(),
        files,
        "2026-11-24T02:00:00Z",
        "2026-11-24T02:00:42Z",
        42_000,
        new Manifest.Timings(1, 2, 3, 4),
        null,
        null);
  }

  /**
   * A file of the export: its relative path, rows and bytes, with the SHA-256 a manifest would
   * record.
   */
  static OutputFile file(String path, long rows, byte[] content) {
    return new OutputFile(path, Map.of(), content.length, rows, sha256(content), null);
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The problems of a payload against docs/notification.schema.json, formats (uri, date-time)
   * checked.
   */
  public static Set<ValidationMessage> schemaProblems(JsonNode payload) {
    try {
      JsonSchema schema =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
              .getSchema(
                  Files.readString(Path.of("docs", "notification.schema.json")),
                  SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
      return schema.validate(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
