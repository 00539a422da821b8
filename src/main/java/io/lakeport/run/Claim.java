package io.lakeport.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.SinkSpec;
import io.lakeport.config.WriteMode;
import io.lakeport.manifest.Manifests;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lakeport's mark on an export folder: {@code _lakeport/claimed-by}, written by each run under its
 * lease before any of its data, so that a folder Lakeport ever wrote to always has its {@code
 * _lakeport/} folder, on local disk and on S3 too, where the committer publishes the data objects
 * before the run writes its manifest (a run killed between the two leaves data that only the claim
 * marks as Lakeport's). A folder that holds files but no {@code _lakeport/} is someone else's: a
 * run refuses it before it touches anything there, unless the job takes it over ({@code
 * sink.take-over = true}).
 */
final class Claim {
  /** The claim's file in {@code _lakeport/}: the first run that wrote to the folder, as JSON. */
  static final String FILE = "claimed-by";

  private static final String PATH = "path";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(Claim.class);

  private Claim() {}

  /**
   * Refuses {@code root} (exit code 2) when it holds files but no {@code _lakeport/} folder and the
   * job does not take it over: an overwrite would delete them, any other mode write among them.
   * What killed Spark writes leave ({@code _temporary}, {@code __magic*}, {@code .spark-staging-*},
   * {@code _SUCCESS}) does not count: the run cleans that up.
   */
  static void refuseForeign(FileSystem fs, Path root, SinkSpec sink) throws IOException {
    if (sink.takeOver() || fs.exists(new Path(root, Manifests.DIR))) {
      return;
    }
    Optional<String> foreign = foreignEntry(fs, root);
    if (foreign.isEmpty()) {
      return;
    }
    boolean replaces =
        sink.mode() == WriteMode.OVERWRITE || sink.mode() == WriteMode.OVERWRITE_PARTITIONS;
    throw new JobConfigException(
        List.of(
            new ConfigProblem(
                sink.origin().child(PATH),
                "sink path "
                    + sink.path()
                    + " holds files that Lakeport did not write ("
                    + foreign.get()
                    + "; there is no "
                    + Manifests.DIR
                    + "/ folder): "
                    + (replaces
                        ? "an overwrite would delete them"
                        : "this job would write among them"),
                "Point sink.path at a new or empty folder, or set sink.take-over = true to let this"
                    + " job take the folder over"
                    + (replaces ? " and replace what is there." : "."))));
  }

  /**
   * Writes the claim unless the folder has one: before the run writes data there, so that the data
   * is never found without {@code _lakeport/}.
   */
  static void stake(FileSystem fs, Path root, LeaseHolder holder) throws IOException {
    Path claim = new Path(new Path(root, Manifests.DIR), FILE);
    if (fs.exists(claim)) {
      return;
    }
    try (OutputStream out = fs.create(claim, true)) {
      out.write(JSON.writeValueAsBytes(holder));
    }
  }

  /**
   * Removes {@code root}, which this run created under its lease and did not publish to (a job
   * mistake ended it): a mistake leaves no folder behind. Best effort: what cannot be removed stays
   * claimed, which is harmless.
   */
  static void withdraw(FileSystem fs, Path root) {
    try {
      fs.delete(root, true);
    } catch (IOException e) {
      LOG.warn(
          "Could not remove {}, made by a run that ended on a job mistake: {}", root, e.toString());
    }
  }

  /** The first entry of {@code root} that a Spark write did not leave; empty for a new folder. */
  private static Optional<String> foreignEntry(FileSystem fs, Path root) throws IOException {
    FileStatus[] entries;
    try {
      if (!fs.getFileStatus(root).isDirectory()) {
        return Optional.of("it is a file");
      }
      entries = fs.listStatus(root);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      boolean leftover =
          name.equals("_temporary")
              || name.startsWith("__magic")
              || name.startsWith(".spark-staging-")
              || name.equals(Publication.SUCCESS);
      if (!leftover) {
        return Optional.of("e.g. " + name);
      }
    }
    return Optional.empty();
  }
}
