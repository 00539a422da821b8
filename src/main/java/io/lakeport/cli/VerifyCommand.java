package io.lakeport.cli;

import io.lakeport.failure.ExitCode;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Verifier;
import io.lakeport.run.Sessions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport verify <manifest | export root>}: re-checks an export against its manifest
 * (missing, extra and changed files). Exits 0 when intact, 4 on any difference. No Spark needed.
 */
@Command(
    name = "verify",
    description = "Check an export against its manifest: missing, extra and changed files.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Output output;

  @Parameters(
      index = "0",
      paramLabel = "MANIFEST",
      description =
          "A manifest file, or an export folder (its newest manifest is used). Local paths or URIs (s3a://...).")
  String location;

  @Override
  public Integer call() {
    Verifier.Report report;
    try {
      report = new Verifier(Sessions.hadoopConfiguration(lakeport.site())).verify(location);
    } catch (FileNotFoundException e) {
      throw new Failures.UserException(
          "Cannot verify "
              + location
              + ": "
              + e.getMessage()
              + ". Give a manifest (<export>/_lakeport/manifest-<run>.json) or an export folder.");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot verify " + location + ": " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    int exit = report.intact() ? 0 : ExitCode.DIFFERENT.code();
    if (output.json()) {
      Output.print(out, json(report));
      return exit;
    }
    for (Verifier.Difference d : report.differences()) {
      out.printf(
          Locale.ROOT,
          "%-8s %s: %s%n",
          d.kind().name().toLowerCase(Locale.ROOT),
          d.path(),
          d.detail());
    }
    if (report.manifest().isEmpty()) {
      if (report.intact()) {
        out.println("nothing published at " + report.root() + ": no manifest and no data files");
      } else {
        out.printf(
            Locale.ROOT,
            "%d data file%s at %s and no manifest describing %s%n",
            report.differences().size(),
            report.differences().size() == 1 ? "" : "s",
            report.root(),
            report.differences().size() == 1 ? "it" : "them");
      }
      out.flush();
      return report.intact() ? 0 : ExitCode.DIFFERENT.code();
    }
    Manifest manifest = report.manifest().get();
    String what =
        String.format(
            Locale.ROOT,
            "%,d files (%,d bytes) of job %s run %s at %s",
            report.filesChecked(),
            report.bytesChecked(),
            manifest.job(),
            manifest.runId(),
            report.root());
    if (report.intact()) {
      out.println(
          "intact: "
              + what
              + (report.extraFilesChecked() ? "" : " (an append: other runs' files not checked)"));
    } else {
      out.printf(
          Locale.ROOT,
          "%d difference%s: %s, manifest %s%n",
          report.differences().size(),
          report.differences().size() == 1 ? "" : "s",
          what,
          report.manifestPath().orElseThrow());
    }
    out.flush();
    return report.intact() ? 0 : ExitCode.DIFFERENT.code();
  }

  /** The report as data: what was checked against which manifest, and every difference. */
  private static Map<String, Object> json(Verifier.Report report) {
    Map<String, Object> view = JsonDocument.object();
    view.put("intact", report.intact());
    view.put("root", report.root());
    view.put("manifest", report.manifestPath().orElse(null));
    view.put("job", report.manifest().map(Manifest::job).orElse(null));
    view.put("run_id", report.manifest().map(Manifest::runId).orElse(null));
    view.put("files_checked", report.filesChecked());
    view.put("bytes_checked", report.bytesChecked());
    view.put("extra_files_checked", report.extraFilesChecked());
    view.put(
        "differences",
        report.differences().stream()
            .map(
                d -> {
                  Map<String, Object> difference = JsonDocument.object();
                  difference.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
                  difference.put("path", d.path());
                  difference.put("detail", d.detail());
                  return difference;
                })
            .toList());
    return view;
  }
}
