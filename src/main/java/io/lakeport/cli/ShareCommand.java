package io.lakeport.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.notify.DownloadLinks;
import io.lakeport.notify.DownloadLinks.Link;
import io.lakeport.notify.Event;
import io.lakeport.notify.ExportStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport share <run-id> [--expires 2h]}: presigned HTTPS GET links to every file of a
 * published run's export on S3, for partners without S3 credentials. The run's manifest (its
 * location from the run history) names the files; links are signed locally with the site's S3
 * settings and last {@code --expires} (default {@code lakeport.notifications.links.expiry}).
 */
@Command(
    name = "share",
    description = "Print presigned download links to the files of a run's export on S3.")
final class ShareCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "RUN_ID",
      description = "A run id, as lakeport history lists them.")
  String runId;

  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      description =
          "How long the links work, e.g. 2h, 30m, 7d (at most 7d; default lakeport.notifications.links.expiry).")
  Optional<String> expires;

  @Override
  public Integer call() {
    Site site = lakeport.site();
    Duration expiry = expires.map(ShareCommand::duration).orElse(site.notifications().linkExpiry());
    Run run;
    try (HistoryStore history = lakeport.history()) {
      run =
          history
              .runLog()
              .run(runId)
              .orElseThrow(
                  () ->
                      new Failures.UserException(
                          "No run "
                              + runId
                              + " in the run history. lakeport history lists the runs recorded."));
    }
    String location =
        run.manifest()
            .orElseThrow(
                () ->
                    new Failures.UserException(
                        "Cannot share run "
                            + runId
                            + ": it is "
                            + run.status().text()
                            + " and published no export. Share a succeeded run."));
    Manifest manifest = read(site, location);
    Event.Output output = Event.Output.of(manifest, Optional.of(location));
    String sink = output.sinkPath().orElse("");
    if (!DownloadLinks.shareable(sink)) {
      throw new Failures.UserException(
          "Cannot share run "
              + runId
              + ": its export is at "
              + sink
              + ", not on S3."
              + " Download links are for exports on S3 (sink.path = \"s3a://bucket/...\").");
    }
    List<Link> links = new ArrayList<>();
    try (DownloadLinks signer = new DownloadLinks(site.sparkSettings(), lakeport.clock())) {
      for (OutputFile file : manifest.files()) {
        links.add(signer.sign(output.location(file), expiry));
      }
    } catch (IllegalStateException e) {
      throw new UncheckedIOException(e.getMessage(), new IOException(e.getMessage(), e));
    }
    print(spec.commandLine().getOut(), manifest, links);
    return 0;
  }

  private static Manifest read(Site site, String location) {
    try {
      return new ExportStorage(site.sparkSettings()).manifest(location);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the manifest " + location + ": " + e.getMessage(), e);
    }
  }

  private void print(PrintWriter out, Manifest manifest, List<Link> links) {
    out.printf(
        Locale.ROOT,
        "run %s of job %s: %d files, links valid until %s%n",
        manifest.runId(),
        manifest.job(),
        links.size(),
        links.stream().map(Link::expiresAt).findFirst().map(Object::toString).orElse("-"));
    for (Link link : links) {
      out.println(link.location());
      out.println("  " + link.url());
    }
    out.flush();
  }

  /** A duration as in the config files: 2h, 30m, 7d, 90s, "2 hours". */
  static Duration duration(String text) {
    Duration duration;
    try {
      duration = ConfigFactory.parseMap(Map.of("d", text)).getDuration("d");
    } catch (ConfigException e) {
      throw new Failures.UserException(
          "--expires: expected a duration such as 2h, 30m or 7d, found \"" + text + "\".");
    }
    if (duration.isNegative()
        || duration.isZero()
        || duration.compareTo(DownloadLinks.MAX_EXPIRY) > 0) {
      throw new Failures.UserException(
          "--expires: links last from 1s to 7d, not " + text + ". Use e.g. --expires 2h.");
    }
    return duration;
  }
}
