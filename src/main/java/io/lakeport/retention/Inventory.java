package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import io.lakeport.retention.ExportTree.Entry;
import io.lakeport.run.RunId;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What is under an export root, read once: the published exports from their manifests (with the
 * files of each still present, its rejects included), manifests of deletions a crash interrupted
 * ({@code _lakeport/retired}), leftovers of failed runs, files no manifest names, and paths a
 * manifest names that retention must not touch. Other jobs' roots nested in this one are left out
 * of everything.
 */
final class Inventory {
  static final String RETIRED = "retired";
  private static final String META = Manifests.DIR + "/";
  private static final String STAGING = META + "staging/";
  private static final String TRASH = META + "trash/";
  private static final String REJECTS = "_rejects/";
  private static final String MAGIC = "__magic";

  /** The files of one export still present: data and rejects, relative paths. */
  record ExportFiles(List<String> files, long bytes) {
    ExportFiles {
      files = List.copyOf(files);
    }
  }

  /** A deletion a crash interrupted: its manifest, and the files of it still present. */
  record Retired(Path manifestPath, String runId, Optional<Manifest> manifest, ExportFiles files) {}

  final Path root;
  final List<Export> exports = new ArrayList<>();
  final Map<String, Manifest> manifests = new HashMap<>();
  final Map<String, Path> manifestPaths = new HashMap<>();
  final Map<String, ExportFiles> files = new HashMap<>();
  final List<Retired> retired = new ArrayList<>();
  final List<Leftover> leftovers = new ArrayList<>();

  /** The files of each leftover, by its path. */
  final Map<String, List<Entry>> leftoverFiles = new TreeMap<>();

  private final Map<String, List<Entry>> rejectsByRun = new HashMap<>();

  /** Paths named by manifests that retention refuses to touch, with why. */
  final Map<String, String> refused = new TreeMap<>();

  /** Files under the root that no manifest names and that are not leftovers. */
  int unclaimedFiles;

  long unclaimedBytes;

  private Inventory(Path root) {
    this.root = root;
  }

  static Inventory read(FileSystem fs, Path root, ExportTree tree, PathGuard guard)
      throws IOException {
    Inventory inventory = new Inventory(requireNonNull(root, "root is null"));
    Map<String, Entry> present = new LinkedHashMap<>();
    Map<String, List<Entry>> leftoverGroups = new TreeMap<>();
    Map<String, List<Entry>> rejectsByRun = new HashMap<>();
    for (Entry entry : tree.walk()) {
      if (guard.nestedOwner(entry.path()).isPresent()) {
        continue;
      }
      leftoverGroup(entry.path())
          .ifPresentOrElse(
              group -> leftoverGroups.computeIfAbsent(group, g -> new ArrayList<>()).add(entry),
              () -> {
                if (!entry.path().startsWith(META)) {
                  present.put(entry.path(), entry);
                  if (entry.path().startsWith(REJECTS) && !entry.symlink()) {
                    int end = entry.path().indexOf('/', REJECTS.length());
                    if (end > 0) {
                      rejectsByRun
                          .computeIfAbsent(
                              entry.path().substring(REJECTS.length(), end), r -> new ArrayList<>())
                          .add(entry);
                    }
                  }
                }
              });
    }
    inventory.leftoverFiles.putAll(leftoverGroups);
    leftoverGroups.forEach(
        (group, entries) ->
            inventory.leftovers.add(
                new Leftover(
                    group,
                    kind(group),
                    entries.stream()
                        .map(Entry::modified)
                        .max(Instant::compareTo)
                        .orElse(Instant.EPOCH),
                    entries.stream().mapToLong(Entry::bytes).sum(),
                    entries.size())));

    inventory.rejectsByRun.putAll(rejectsByRun);
    Map<String, Boolean> claimed = new HashMap<>();
    for (FileStatus status : list(fs, new Path(root, Manifests.DIR))) {
      Optional<String> runId = Manifests.runIdOf(status.getPath().getName());
      if (status.isFile() && runId.isPresent()) {
        inventory.published(fs, status.getPath(), runId.get(), present, guard, claimed);
      }
    }
    for (FileStatus status : list(fs, new Path(new Path(root, Manifests.DIR), RETIRED))) {
      Optional<String> runId = Manifests.runIdOf(status.getPath().getName());
      if (status.isFile() && runId.isPresent()) {
        Optional<Manifest> manifest = readQuietly(fs, status.getPath());
        inventory.retired.add(
            new Retired(
                status.getPath(),
                runId.get(),
                manifest,
                manifest
                    .map(m -> inventory.filesOf(m, runId.get(), present, guard, claimed))
                    .orElse(new ExportFiles(List.of(), 0))));
      }
    }
    for (Entry entry : present.values()) {
      if (!claimed.containsKey(entry.path()) && !entry.path().equals("_SUCCESS")) {
        inventory.unclaimedFiles++;
        inventory.unclaimedBytes += entry.bytes();
      }
    }
    return inventory;
  }

  private void published(
      FileSystem fs,
      Path manifestPath,
      String runId,
      Map<String, Entry> present,
      PathGuard guard,
      Map<String, Boolean> claimed) {
    Instant runStart = RunId.startOf(runId).orElse(Instant.EPOCH);
    Optional<Manifest> manifest = Optional.empty();
    String problem = null;
    try {
      manifest = Manifests.read(fs, manifestPath);
      if (manifest.isEmpty()) {
        problem = "not a Lakeport manifest";
      } else if (!manifest.get().runId().equals(runId)) {
        problem = "it names run " + manifest.get().runId() + ", not " + runId;
        manifest = Optional.empty();
      }
    } catch (IOException e) {
      problem = "cannot read it: " + e.getMessage();
    }
    manifestPaths.put(runId, manifestPath);
    if (manifest.isEmpty()) {
      exports.add(new Export(runId, Optional.empty(), runStart, 0, 0, Optional.of(problem)));
      return;
    }
    Manifest m = manifest.get();
    manifests.put(runId, m);
    ExportFiles mine = filesOf(m, runId, present, guard, claimed);
    files.put(runId, mine);
    exports.add(
        new Export(
            runId,
            logicalDate(m),
            instant(m.finishedAt()).orElse(runStart),
            mine.bytes(),
            mine.files().size(),
            Optional.empty()));
  }

  /** The files a manifest names that are present and safe, and its run's rejects. */
  private ExportFiles filesOf(
      Manifest manifest,
      String runId,
      Map<String, Entry> present,
      PathGuard guard,
      Map<String, Boolean> claimed) {
    List<String> mine = new ArrayList<>();
    long bytes = 0;
    for (OutputFile file : manifest.files()) {
      try {
        Optional<String> refusal = guard.refusal(file.path());
        if (refusal.isPresent()) {
          refused.put(file.path(), "named by the manifest of run " + runId + ": " + refusal.get());
          continue;
        }
      } catch (IOException e) {
        refused.put(file.path(), "cannot check it: " + e.getMessage());
        continue;
      }
      Entry entry = present.get(file.path());
      if (entry != null) {
        mine.add(file.path());
        bytes += entry.bytes();
        claimed.put(file.path(), true);
      }
    }
    for (Entry entry : rejectsByRun.getOrDefault(runId, List.of())) {
      mine.add(entry.path());
      bytes += entry.bytes();
      claimed.put(entry.path(), true);
    }
    return new ExportFiles(mine, bytes);
  }

  /**
   * {@code _lakeport/staging/<run>}, {@code _lakeport/trash/<run>} or {@code __magic...} holding
   * {@code path}.
   */
  private static Optional<String> leftoverGroup(String path) {
    for (String folder : List.of(STAGING, TRASH)) {
      if (path.startsWith(folder)) {
        int end = path.indexOf('/', folder.length());
        return Optional.of(end < 0 ? path : path.substring(0, end));
      }
    }
    if (path.startsWith(MAGIC)) {
      int end = path.indexOf('/');
      return Optional.of(end < 0 ? path : path.substring(0, end));
    }
    return Optional.empty();
  }

  private static Leftover.Kind kind(String group) {
    return group.startsWith(STAGING)
        ? Leftover.Kind.STAGING
        : group.startsWith(TRASH) ? Leftover.Kind.TRASH : Leftover.Kind.MAGIC;
  }

  private static Optional<LocalDate> logicalDate(Manifest manifest) {
    try {
      return Optional.ofNullable(manifest.window()).map(w -> LocalDate.parse(w.runDate()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.ofNullable(text).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Manifest> readQuietly(FileSystem fs, Path path) {
    try {
      return Manifests.read(fs, path);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static FileStatus[] list(FileSystem fs, Path folder) throws IOException {
    try {
      return fs.listStatus(folder);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }
}
