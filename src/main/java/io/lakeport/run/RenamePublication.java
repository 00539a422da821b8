package io.lakeport.run;

import io.lakeport.config.SinkSpec;
import io.lakeport.config.WriteMode;
import io.lakeport.fault.Failpoints;
import io.lakeport.manifest.Listing;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Staging and publish by rename, for file systems where renaming a folder is atomic. Spark writes
 * the run into {@code _lakeport/staging/<run>}; publishing then swaps whole folders:
 *
 * <ul>
 *   <li>partitioned exports: each partition folder the run wrote replaces the old one (moved to
 *       {@code _lakeport/trash/<run>} first), so a reader of a partition sees its old files,
 *       nothing for an instant, or the new files, never a mixture; {@code overwrite} then moves the
 *       partitions the run did not write to the trash;
 *   <li>unpartitioned overwrites: the root itself is swapped with the staged folder, and the {@code
 *       _lakeport} (manifests) and {@code _rejects} folders moved over;
 *   <li>appends: files move in one by one (their names are unique per run).
 * </ul>
 *
 * Every step is a rename that a later attempt can finish or undo: {@link #recover} puts back a
 * partition whose old folder is in a trash but whose new one never arrived, and a root that was
 * moved aside but not replaced.
 */
final class RenamePublication implements Publication {
  static final String STAGING = "staging";
  static final String TRASH = "trash";
  static final String REJECTS = "_rejects";
  private static final String REPLACED = ".lakeport-replaced-";

  private final FileSystem fs;
  private final Path root;
  private final SinkSpec sink;
  private final String runId;
  private final Path staging;
  private final Path trash;
  private boolean published;

  /** The export this run's root swap moved aside, kept until the manifest is written. */
  private Path aside;

  RenamePublication(FileSystem fs, Path root, SinkSpec sink, String runId) {
    this.fs = fs;
    this.root = root;
    this.sink = sink;
    this.runId = runId;
    Path meta = new Path(root, Manifests.DIR);
    this.staging = new Path(new Path(meta, STAGING), runId);
    this.trash = new Path(new Path(meta, TRASH), runId);
  }

  @Override
  public Path writePath() {
    return staging;
  }

  @Override
  public Optional<WriteMode> writeMode() {
    return Optional.of(WriteMode.OVERWRITE);
  }

  /** Nothing to clear: the write goes to a staging folder of its own. */
  @Override
  public void prepareWrite() {}

  @Override
  public Path rejectsWritePath() {
    return new Path(staging, REJECTS);
  }

  @Override
  public Path rejectsPath() {
    return new Path(new Path(root, REJECTS), runId);
  }

  @Override
  public Path filesRoot() {
    return published ? root : staging;
  }

  @Override
  public List<String> files() throws IOException {
    return new ArrayList<>(Listing.dataFiles(fs, staging));
  }

  @Override
  public List<String> recover() throws IOException {
    List<String> done = new ArrayList<>(finishRootSwaps());
    Path meta = new Path(root, Manifests.DIR);
    List<String> dead = new ArrayList<>();
    for (FileStatus attempt : list(new Path(meta, TRASH))) {
      dead.add(attempt.getPath().getName());
    }
    for (FileStatus file : list(meta)) {
      Manifests.pendingRunIdOf(file.getPath().getName())
          .filter(run -> !dead.contains(run))
          .ifPresent(dead::add);
    }
    for (String run : dead) {
      if (fs.exists(Manifests.path(root, run))) {
        delete(new Path(new Path(meta, TRASH), run), done);
      } else {
        rollBack(run, done);
      }
      fs.delete(Manifests.pendingPath(root, run), false);
    }
    for (FileStatus attempt : list(new Path(meta, STAGING))) {
      delete(attempt.getPath(), done);
    }
    for (FileStatus leftover : list(root)) {
      String name = leftover.getPath().getName();
      if (name.equals("_temporary") || name.startsWith(".spark-staging-")) {
        delete(leftover.getPath(), done);
      }
    }
    return done;
  }

  /**
   * Undoes what a run that died before its manifest published: the files its pending manifest lists
   * that it had moved in go, the partition folders it had moved to its trash come back, and its
   * quarantined rows go. What a reader sees again is the export before that run.
   */
  private void rollBack(String run, List<String> done) throws IOException {
    Path meta = new Path(root, Manifests.DIR);
    Path stagedBy = new Path(new Path(meta, STAGING), run);
    Path trashOf = new Path(new Path(meta, TRASH), run);
    Optional<Manifest> pending =
        fs.exists(Manifests.pendingPath(root, run))
            ? Manifests.read(fs, Manifests.pendingPath(root, run))
            : Optional.empty();
    for (OutputFile file : pending.map(Manifest::files).orElse(List.of())) {
      Path moved = new Path(root, file.path());
      if (!fs.exists(new Path(stagedBy, file.path())) && fs.exists(moved)) {
        delete(moved, done);
      }
    }
    if (fs.exists(new Path(new Path(root, REJECTS), run))) {
      delete(new Path(new Path(root, REJECTS), run), done);
    }
    if (sink.partitionBy().isEmpty()) {
      return;
    }
    for (Path unit : leaves(trashOf, sink.partitionBy().size())) {
      Path target = new Path(root, relative(trashOf, unit));
      if (fs.exists(target) && Listing.dataFiles(fs, target).isEmpty()) {
        fs.delete(target, true);
      }
      if (!fs.exists(target)) {
        move(unit, target);
        done.add("restored " + target);
      }
    }
    for (Path unit : leaves(root, sink.partitionBy().size())) {
      if (Listing.dataFiles(fs, unit).isEmpty()) {
        delete(unit, done);
      }
    }
    if (fs.exists(trashOf)) {
      delete(trashOf, done);
    }
  }

  /**
   * Makes the run's files visible at the root, replacing what the write mode replaces. The pending
   * manifest is written first; what was replaced stays in the run's trash until {@link #complete}.
   */
  @Override
  public void publish(Manifest pending) throws IOException {
    Manifests.write(fs, Manifests.pendingPath(root, runId), pending);
    fs.delete(new Path(root, Publication.SUCCESS), false);
    Failpoints.reach(Failpoints.PENDING);
    if (fs.exists(rejectsWritePath())) {
      move(rejectsWritePath(), rejectsPath());
    }
    boolean partitioned = !sink.partitionBy().isEmpty();
    switch (sink.mode()) {
      case OVERWRITE_PARTITIONS -> {
        if (partitioned) {
          swapPartitions();
        } else {
          swapRoot();
        }
      }
      case OVERWRITE -> {
        if (partitioned) {
          List<Path> written = swapPartitions();
          trashPartitionsOtherThan(written);
        } else {
          swapRoot();
        }
      }
      case APPEND, ERROR_IF_EXISTS -> moveFiles();
    }
    published = true;
  }

  /**
   * After the manifest: the pending manifest and what the run replaced go, and {@code _SUCCESS}
   * (naming the run, its manifest, files and rows) is written last.
   */
  @Override
  public void complete(Manifest manifest, Path manifestPath) throws IOException {
    fs.delete(Manifests.pendingPath(root, runId), false);
    if (aside != null) {
      fs.delete(aside, true);
    }
    fs.delete(trash, true);
    fs.delete(staging, true);
    Failpoints.reach(Failpoints.CLEANED);
    Publication.markComplete(fs, root, manifest, manifestPath);
  }

  @Override
  public void abort() {
    if (!published) {
      try {
        fs.delete(staging, true);
      } catch (IOException e) {
        // the next attempt's recover() removes it
      }
    }
  }

  /**
   * Each partition folder the run wrote replaces the one at the root; returns the folders written.
   */
  private List<Path> swapPartitions() throws IOException {
    List<Path> written = new ArrayList<>();
    for (Path unit : leaves(staging, sink.partitionBy().size())) {
      String relative = relative(staging, unit);
      Path target = new Path(root, relative);
      if (fs.exists(target)) {
        move(target, new Path(trash, relative));
      }
      move(unit, target);
      written.add(target);
      Failpoints.reach(Failpoints.PUBLISHING);
    }
    return written;
  }

  private void trashPartitionsOtherThan(List<Path> written) throws IOException {
    for (Path unit : leaves(root, sink.partitionBy().size())) {
      if (!written.contains(unit)) {
        move(unit, new Path(trash, relative(root, unit)));
      }
    }
  }

  /**
   * Moves the root aside, the staged folder into its place, and the {@code _lakeport} folder back
   * in: readers see the old export, no folder for an instant, or the new one.
   */
  private void swapRoot() throws IOException {
    Path aside = new Path(root.getParent(), "." + root.getName() + REPLACED + runId);
    fs.delete(new Path(staging, Publication.SUCCESS), false);
    // the new root comes with the manifest of its files: readers of it never see them undescribed
    FileUtil.copy(
        fs,
        Manifests.pendingPath(root, runId),
        fs,
        Manifests.pendingPath(staging, runId),
        false,
        true,
        fs.getConf());
    move(root, aside);
    this.aside = aside;
    move(new Path(new Path(new Path(aside, Manifests.DIR), STAGING), runId), root);
    Failpoints.reach(Failpoints.PUBLISHING);
    keepHistory(aside);
  }

  /** Moves the manifests and quarantined rows of the export moved aside into the new root. */
  private void keepHistory(Path aside) throws IOException {
    for (String folder : List.of(Manifests.DIR, REJECTS)) {
      merge(new Path(aside, folder), new Path(root, folder));
    }
  }

  /**
   * Moves what {@code from} holds into {@code to}, folder by folder: an entry {@code to} lacks
   * moves whole, a folder both hold is merged, and a file both hold stays as {@code to} has it.
   */
  private void merge(Path from, Path to) throws IOException {
    if (!fs.exists(from)) {
      return;
    }
    if (!fs.exists(to)) {
      move(from, to);
      return;
    }
    for (FileStatus entry : list(from)) {
      Path target = new Path(to, entry.getPath().getName());
      if (!fs.exists(target)) {
        move(entry.getPath(), target);
      } else if (entry.isDirectory() && fs.getFileStatus(target).isDirectory()) {
        merge(entry.getPath(), target);
      }
    }
  }

  /**
   * Completes or undoes the root swaps of runs that died ({@link #swapRoot}): a run whose manifest
   * was written had published, and its old export goes; otherwise the old export comes back, with
   * the manifests and quarantined rows that had moved into the dead run's root.
   */
  private List<String> finishRootSwaps() throws IOException {
    List<String> done = new ArrayList<>();
    String prefix = "." + root.getName() + REPLACED;
    FileStatus[] asides = fs.globStatus(new Path(root.getParent(), prefix + "*"));
    for (FileStatus found : asides == null ? new FileStatus[0] : asides) {
      Path old = found.getPath();
      String run = old.getName().substring(prefix.length());
      if (!fs.exists(root)) {
        move(old, root);
        done.add("restored " + root);
      } else if (fs.exists(Manifests.path(root, run)) || fs.exists(Manifests.path(old, run))) {
        keepHistory(old);
        delete(old, done);
      } else {
        for (String folder : List.of(Manifests.DIR, REJECTS)) {
          merge(new Path(root, folder), new Path(old, folder));
        }
        delete(root, done);
        move(old, root);
        done.add("restored " + root);
      }
    }
    return done;
  }

  /** Data files move in one by one; a name already there is an error, never an overwrite. */
  private void moveFiles() throws IOException {
    for (String file : files()) {
      Path target = new Path(root, file);
      if (fs.exists(target)) {
        throw new IOException(
            "cannot append "
                + file
                + ": a file of that name is already at "
                + root
                + "; add {run} to sink.file-name");
      }
      move(new Path(staging, file), target);
    }
  }

  /**
   * The folders {@code depth} levels below {@code base}, hidden ones ({@code _x}, {@code .x})
   * skipped.
   */
  private List<Path> leaves(Path base, int depth) throws IOException {
    List<Path> level = List.of(base);
    for (int i = 0; i < depth; i++) {
      List<Path> next = new ArrayList<>();
      for (Path folder : level) {
        for (FileStatus child : list(folder)) {
          String name = child.getPath().getName();
          if (child.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
            next.add(child.getPath());
          }
        }
      }
      level = next;
    }
    return level;
  }

  private FileStatus[] list(Path folder) throws IOException {
    try {
      return fs.listStatus(folder);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }

  private static String relative(Path base, Path path) {
    String prefix = base.toUri().getPath();
    return path.toUri().getPath().substring(prefix.length() + 1);
  }

  private void move(Path from, Path to) throws IOException {
    fs.mkdirs(to.getParent());
    if (!fs.rename(from, to)) {
      throw new IOException("could not move " + from + " to " + to);
    }
  }

  private void delete(Path path, List<String> done) throws IOException {
    fs.delete(path, true);
    done.add("removed " + path);
  }
}
