package io.lakeport.run;

import io.lakeport.config.SinkFormat;
import io.lakeport.config.SinkSpec;
import io.lakeport.config.WriteMode;
import io.lakeport.manifest.Listing;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes at the root, where the writer's own commit publishes: the S3A committers (nothing is
 * visible until job commit, each file then appears whole) and Delta's log. The files of the run are
 * the data files that were not there before it.
 *
 * <p>Spark replaces a folder by deleting it whole before the write, which would take {@code
 * _lakeport/} (the folder's claim, the manifests) and {@code _rejects/} along: a run killed after
 * the commit would then leave data that nothing marks as Lakeport's. Here the run clears the root
 * but those two folders instead, just before the write, and the write appends.
 */
final class InPlacePublication implements Publication {
  private static final Set<String> KEPT = Set.of(Manifests.DIR, RenamePublication.REJECTS);

  private final FileSystem fs;
  private final Path root;
  private final SinkSpec sink;
  private final Path rejects;
  private Set<String> before;

  InPlacePublication(FileSystem fs, Path root, SinkSpec sink, String runId) throws IOException {
    this.fs = fs;
    this.root = root;
    this.sink = sink;
    this.rejects = new Path(new Path(root, RenamePublication.REJECTS), runId);
    this.before = Listing.dataFiles(fs, root);
  }

  /**
   * Whether Spark would delete the whole root: an overwrite of files (Delta keeps its files and
   * log), except an S3 partition overwrite, which replaces partitions at commit.
   */
  private boolean replacesRoot() {
    return sink.format() != SinkFormat.DELTA
        && (sink.mode() == WriteMode.OVERWRITE
            || (sink.mode() == WriteMode.OVERWRITE_PARTITIONS && sink.partitionBy().isEmpty()));
  }

  @Override
  public void prepareWrite() throws IOException {
    if (!replacesRoot()) {
      return;
    }
    FileStatus[] entries;
    try {
      entries = fs.listStatus(root);
    } catch (FileNotFoundException e) {
      return;
    }
    for (FileStatus entry : entries) {
      if (!KEPT.contains(entry.getPath().getName())) {
        fs.delete(entry.getPath(), true);
      }
    }
    before = Listing.dataFiles(fs, root);
  }

  @Override
  public Path writePath() {
    return root;
  }

  @Override
  public Optional<WriteMode> writeMode() {
    return replacesRoot() ? Optional.of(WriteMode.APPEND) : Optional.empty();
  }

  @Override
  public Path rejectsWritePath() {
    return rejects;
  }

  @Override
  public Path rejectsPath() {
    return rejects;
  }

  /**
   * Before the write, under the export's lease: {@code _SUCCESS} goes, since the committer's job
   * commit will change the export before the run's manifest describes it; and on S3 the S3A magic
   * committer's {@code __magic*} folders that killed attempts left are removed (their pending
   * uploads are aborted by the committer itself at the next job commit, with {@code
   * fs.s3a.committer.abort.pending.uploads}, true by default).
   */
  @Override
  public List<String> recover() throws IOException {
    fs.delete(new Path(root, SUCCESS), false);
    List<String> removed = new ArrayList<>();
    FileStatus[] magic = fs.globStatus(new Path(root, "__magic*"));
    for (FileStatus leftover : magic == null ? new FileStatus[0] : magic) {
      fs.delete(leftover.getPath(), true);
      removed.add("removed " + leftover.getPath());
    }
    return removed;
  }

  @Override
  public List<String> files() throws IOException {
    List<String> added = new ArrayList<>(Listing.dataFiles(fs, root));
    added.removeAll(before);
    return added;
  }

  @Override
  public Path filesRoot() {
    return root;
  }

  @Override
  public void publish(Manifest pending) {
    // the committer published at job commit
  }

  /**
   * {@code _SUCCESS} after the manifest, the quality checks and {@code on-empty}: the committers
   * write none.
   */
  @Override
  public void complete(Manifest manifest, Path manifestPath) throws IOException {
    Publication.markComplete(fs, root, manifest, manifestPath);
  }

  @Override
  public void abort() {
    // the committer aborted the job and removed its pending output
  }
}
