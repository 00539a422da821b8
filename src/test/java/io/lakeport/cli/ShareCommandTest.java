package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.notify.DownloadLinks;
import io.lakeport.s3.S3Server;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Presigned download links against a real S3-protocol server on 127.0.0.1 (s3proxy, started here):
 * a link fetched over plain HTTP with the JDK's client returns the object's exact bytes, a link
 * tampered with is refused, and {@code lakeport share} links every file a run's manifest lists.
 */
class ShareCommandTest {
  private static final String BUCKET = "exports";
  private static final String RUN = "20261124T020000000Z-abc123";
  private static S3Server server;
  @TempDir static Path shared;
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start(shared.resolve("s3"), BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aPresignedLinkReturnsTheObjectsBytesAndATamperedOneIsRefused() throws Exception {
    byte[] content = new byte[300_000];
    new Random(7).nextBytes(content);
    Files.createDirectories(server.root().resolve(BUCKET + "/orders/day=2026-11-23"));
    Files.write(server.root().resolve(BUCKET + "/orders/day=2026-11-23/part-0.parquet"), content);

    try (DownloadLinks links = new DownloadLinks(site().sparkSettings(), Clock.systemUTC())) {
      DownloadLinks.Link link =
          links.sign(
              "s3a://" + BUCKET + "/orders/day=2026-11-23/part-0.parquet", Duration.ofMinutes(5));

      assertThat(link.url().getScheme()).isEqualTo("http");
      assertThat(fetch(link.url()).body()).isEqualTo(content);
      URI tampered =
          URI.create(link.url().toString().replace("X-Amz-Expires=300", "X-Amz-Expires=600"));
      assertThat(fetch(tampered).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void shareLinksEveryFileOfTheRunsExport() throws Exception {
    byte[] part0 = "id,amount\n1,10\n".getBytes(StandardCharsets.UTF_8);
    byte[] part1 = new byte[70_000];
    new Random(11).nextBytes(part1);
    Manifest manifest =
        manifest(
            List.of(
                file("day=2026-11-23/part-0.csv", part0),
                file("day=2026-11-23/part-1.csv", part1)));
    // uploaded over S3 (not written to the server's folder), so the objects have the ETags s3a
    // checks
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
            .build()) {
      put(s3, "share/day=2026-11-23/part-0.csv", part0);
      put(s3, "share/day=2026-11-23/part-1.csv", part1);
      put(s3, "share/_lakeport/manifest-" + RUN + ".json", manifest.toJson());
    }
    Path conf = siteConf();
    try (HistoryStore store =
        HistoryStore.open(Site.load(Optional.of(conf)).history(), Clock.systemUTC())) {
      store
          .runLog()
          .enqueue(new RunRequest(RUN, "orders-daily", Optional.empty(), Trigger.MANUAL, Map.of()));
      store.runLog().start(RUN, new Worker("etl-1", 1));
      store
          .runLog()
          .finish(
              RUN,
              RunOutcome.succeeded(
                  2,
                  part0.length + part1.length,
                  2,
                  "s3a://" + BUCKET + "/share/_lakeport/manifest-" + RUN + ".json"));
    }

    int code = Cli.lakeport(conf, out, err, "share", RUN, "--expires", "2h");

    assertThat(code).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0))
        .startsWith("run " + RUN + " of job orders-daily: 2 files, links valid until ");
    assertThat(lines.get(1)).isEqualTo("s3a://" + BUCKET + "/share/day=2026-11-23/part-0.csv");
    assertThat(lines.get(3)).isEqualTo("s3a://" + BUCKET + "/share/day=2026-11-23/part-1.csv");
    assertThat(lines.get(2)).contains("X-Amz-Expires=7200");
    assertThat(fetch(URI.create(lines.get(2).strip())).body()).isEqualTo(part0);
    byte[] fetched = fetch(URI.create(lines.get(4).strip())).body();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(fetched)))
        .isEqualTo(manifest.files().get(1).sha256());
  }

  @Test
  void shareRefusesARunWithoutAnExportAndABadExpiry() throws Exception {
    Path conf = siteConf();
    try (HistoryStore store =
        HistoryStore.open(Site.load(Optional.of(conf)).history(), Clock.systemUTC())) {
      store
          .runLog()
          .enqueue(
              new RunRequest(
                  "20261124T030000000Z-ffffff",
                  "orders-daily",
                  Optional.empty(),
                  Trigger.MANUAL,
                  Map.of()));
      store.runLog().start("20261124T030000000Z-ffffff", new Worker("etl-1", 1));
      store.runLog().finish("20261124T030000000Z-ffffff", RunOutcome.failed(3, "boom"));
    }

    assertThat(Cli.lakeport(conf, out, err, "share", "20261124T030000000Z-ffffff")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "Cannot share run 20261124T030000000Z-ffffff: it is failed and published no"
                + " export. Share a succeeded run.\n");
    err.getBuffer().setLength(0);
    assertThat(
            Cli.lakeport(conf, out, err, "share", "20261124T030000000Z-ffffff", "--expires", "30d"))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("--expires: links last from 1s to 7d, not 30d. Use e.g. --expires 2h.\n");
  }

  private static void put(S3Client s3, String key, byte[] content) {
    s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
  }

  private HttpResponse<byte[]> fetch(URI url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private Site site() {
    return Site.load(Optional.of(siteConf()));
  }

  private Path siteConf() {
    return Fixtures.write(
        dir,
        "application.conf",
        "lakeport {\n  history.url = \"jdbc:h2:file:"
            + dir.resolve("history/lakeport")
            + "\"\n  s3 { endpoint = \""
            + server.endpoint()
            + "\", region = us-east-1, path-style-access = true }\n"
            // s3a's own key settings, the first link of its default credentials chain (test keys
            // only)
            + "  spark.conf { \"spark.hadoop.fs.s3a.access.key\" = \""
            + S3Server.ACCESS_KEY
            + "\","
            + " \"spark.hadoop.fs.s3a.secret.key\" = \""
            + S3Server.SECRET_KEY
            + "\" }\n}\n");
  }

  private static OutputFile file(String path, byte[] content) throws Exception {
    return new OutputFile(
        path,
        Map.of(),
        content.length,
        1,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
        null);
  }

  private static Manifest manifest(List<OutputFile> files) {
    return new Manifest(
        Manifest.VERSION,
        "orders-daily",
        RUN,
        "jobs/orders-daily.conf",
        Map.of(),
        null,
        "test",
        "4.1.1",
        Map.of(),
        null,
        new Manifest.SinkInfo(
            "csv", "s3a://" + BUCKET + "/share", "overwrite", List.of(), "none", null),
        null,
        List.of(),
        new Manifest.Totals(2, files.size(), 0, 2, Map.of(), null, null),
        new Manifest.Quality(List.of(), 0, null),
        List.of(),
        files,
        "2026-11-24T02:00:00Z",
        "2026-11-24T02:00:01Z",
        1000,
        new Manifest.Timings(0, 0, 0, 0),
        null,
        null);
  }
}
