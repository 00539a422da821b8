package io.lakeport.run;

import io.lakeport.config.WriteMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes at the root, where the writer's own commit publishes: the S3A committers (nothing is
 * visible until job commit, each file then appears whole) and Delta's log. The files of the run
 * are the data files that were not there before it.
 */
final class InPlacePublication implements Publication {
  private final FileSystem fs;
  private final Path root;
  private final Set<String> before;
  private final Path rejects;

  InPlacePublication(FileSystem fs, Path root, String runId) throws IOException {
    this.fs = fs;
    this.root = root;
    this.rejects = new Path(new Path(root, RenamePublication.REJECTS), runId);
    this.before = Listing.dataFiles(fs, root);
  }

  @Override
  public Path writePath() {
    return root;
  }

  @Override
  public Optional<WriteMode> writeMode() {
    return Optional.empty();
  }

  @Override
  public Path rejectsWritePath() {
    return rejects;
  }

  @Override
  public Path rejectsPath() {
    return rejects;
  }

  @Override
  public List<String> recover() {
    return List.of();
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
  public void publish() {
    // the committer published at job commit
  }

  @Override
  public void complete(Manifest manifest, Path manifestPath) {
    // the committer wrote _SUCCESS (S3A: JSON naming the committer and files); Delta has its log
  }

  @Override
  public void abort() {
    // the committer aborted the job and removed its pending output
  }
}
