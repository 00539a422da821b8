package io.lakeport.run;

import io.lakeport.config.SinkFormat;
import io.lakeport.config.SinkSpec;
import io.lakeport.config.WriteMode;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How a run's files become visible at the export root, all at once. On file systems with atomic
 * rename (local disk, HDFS) Spark writes into a staging folder of the run and {@link #publish}
 * moves it into place by renames ({@link RenamePublication}). On S3 the S3A committer publishes at
 * job commit, and Delta publishes with its log commit; there the write goes to the root directly
 * ({@link InPlacePublication}).
 */
interface Publication {
  /**
   * The marker of a complete export, written last: {@code {"run_id", "job", "manifest", "files",
   * "rows"}}.
   */
  String SUCCESS = "_SUCCESS";

  /** Where Spark writes the run's data. */
  Path writePath();

  /**
   * The mode Spark writes with instead of the sink's own (a fresh staging folder is overwritten).
   */
  Optional<WriteMode> writeMode();

  /**
   * Before the write: undoes what killed attempts left half done (a publish that moved old data
   * aside and died before moving the new data in is rolled back) and deletes their staging data.
   * Returns the paths it removed or restored, for the log.
   */
  List<String> recover() throws IOException;

  /**
   * Just before the write: clears what the write replaces where the writer would otherwise delete
   * the whole root, {@code _lakeport/} with it ({@link InPlacePublication}).
   */
  void prepareWrite() throws IOException;

  /** Where this run writes the rows its quality rules set aside. */
  Path rejectsWritePath();

  /** Where those rows are once published: {@code _rejects/<run id>} under the export. */
  Path rejectsPath();

  /**
   * The data files this run wrote, relative to {@link #filesRoot()} (and, once published, to the
   * root).
   */
  List<String> files() throws IOException;

  /** Where the files can be read now: the staging folder before publishing, else the root. */
  Path filesRoot();

  /**
   * Makes the run's files visible at the root, replacing what the write mode replaces. Where files
   * move, {@code pending} (the run's manifest, but for its publish time) is written first under a
   * name that is not a manifest's ({@link Manifests#pendingPath}).
   */
  void publish(Manifest pending) throws IOException;

  /**
   * After the manifest: removes what the publish replaced and marks the export complete ({@code
   * _SUCCESS}).
   */
  void complete(Manifest manifest, Path manifestPath) throws IOException;

  /** Drops what this run wrote and has not published. Safe to call more than once. */
  void abort();

  /**
   * Writes {@code _SUCCESS} for a run whose manifest is at {@code manifestPath}: the last thing a
   * run writes.
   */
  static void markComplete(FileSystem fs, Path root, Manifest manifest, Path manifestPath)
      throws IOException {
    String marker =
        "{\"run_id\":\""
            + manifest.runId()
            + "\",\"job\":\""
            + manifest.job()
            + "\",\"manifest\":\""
            + manifestPath.getName()
            + "\",\"files\":"
            + manifest.totals().files()
            + ",\"rows\":"
            + manifest.totals().rows()
            + "}\n";
    try (OutputStream out = fs.create(new Path(root, SUCCESS), true)) {
      out.write(marker.getBytes(StandardCharsets.UTF_8));
    }
  }

  static Publication of(FileSystem fs, Path root, SinkSpec sink, String runId) throws IOException {
    String scheme = fs.getUri().getScheme();
    boolean renames =
        !scheme.startsWith("s3") && !scheme.equals("gs") && !scheme.startsWith("wasb");
    return renames && sink.format() != SinkFormat.DELTA
        ? new RenamePublication(fs, root, sink, runId)
        : new InPlacePublication(fs, root, sink, runId);
  }
}
