package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.JobSpec;
import io.lakeport.config.RetentionSpec;
import io.lakeport.config.SinkFormat;
import io.lakeport.fault.Failpoints;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.retention.Inventory.ExportFiles;
import io.lakeport.run.RunId;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Plans and applies a job's retention on its export root. {@link #plan} reads and changes nothing;
 * {@link #apply} plans afresh and then, export by export, oldest first: archives it and checks the
 * archive (when the job archives), moves its manifest to {@code _lakeport/retired/} (from then on
 * it is no longer a published export, and the retired manifest is the record of what remains to
 * delete), deletes its files in batches, and deletes the retired manifest last. A crash at any
 * point leaves each export whole or retired with its record; the next apply finishes retired
 * exports before anything else. Files a kept export names are never deleted, nor is anything the
 * {@link PathGuard} refuses.
 */
public final class Retention {
  /** Reached after an export's manifest is retired and before its files are deleted. */
  public static final String FAILPOINT_RETIRED = "retention-retired";

  /** Reached after the first batch of an export's files is deleted. */
  public static final String FAILPOINT_DELETING = "retention-deleting";

  /** Reached after an export's archive is written and before it is read back and verified. */
  public static final String FAILPOINT_ARCHIVED = "retention-archived";

  private final Configuration conf;
  private final Clock clock;
  private final Supplier<SparkSession> spark;

  public Retention(Configuration conf, Clock clock, Supplier<SparkSession> spark) {
    this.conf = requireNonNull(conf, "conf is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** One export (or leftover, or archive) retention removed, or could not. */
  public record Action(
      String subject, String what, long files, long bytes, Optional<String> archive) {}

  /** What {@link #apply} did: the plan it followed, what it removed and what it could not. */
  public record Result(RetentionPlan plan, List<Action> actions, List<String> failures) {
    public Result {
      actions = List.copyOf(actions);
      failures = List.copyOf(failures);
    }

    public long bytesFreed() {
      return actions.stream().mapToLong(Action::bytes).sum();
    }

    public long filesDeleted() {
      return actions.stream().mapToLong(Action::files).sum();
    }

    public long exportsRemoved() {
      return actions.stream().filter(a -> a.what().startsWith("export")).count();
    }
  }

  /**
   * @param otherJobs every other job's export root (a path as in its job file) to its name
   */
  public RetentionPlan plan(JobSpec job, Map<String, String> otherJobs) throws IOException {
    return new Target(job, otherJobs).plan();
  }

  public Result apply(JobSpec job, Map<String, String> otherJobs) throws IOException {
    Target target = new Target(job, otherJobs);
    List<Action> actions = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    target.resumeRetired(actions, failures);
    RetentionPlan plan = target.plan();
    if (plan.refusal().isPresent()) {
      return new Result(plan, actions, failures);
    }
    if (plan.delta().isPresent()) {
      DeltaRetention.apply(spark.get(), target.root.toString(), plan.delta().get());
      actions.add(
          new Action(
              target.root.toString(),
              "delta vacuum and log retention",
              plan.delta().get().filesToVacuum().size(),
              0,
              Optional.empty()));
      return new Result(plan, actions, failures);
    }
    target.removeExports(plan, actions, failures);
    target.cleanLeftovers(plan, actions, failures);
    target.expireArchives(plan, actions, failures);
    return new Result(plan, actions, failures);
  }

  /** A path as Hadoop qualifies it: with a scheme, absolute, normalised. */
  static String qualify(String path) {
    URI uri = new Path(path).toUri();
    if (uri.getScheme() == null) {
      return "file:"
          + java.nio.file.Path.of(path)
              .toAbsolutePath()
              .normalize()
              .toUri()
              .getPath()
              .replaceAll("/$", "");
    }
    return new Path(uri.normalize()).toString().replaceAll("/$", "");
  }

  /** The roots of other jobs that lie strictly inside {@code root}: relative path to job name. */
  static Map<String, String> nested(String root, Map<String, String> otherJobs) {
    Map<String, String> nested = new LinkedHashMap<>();
    otherJobs.forEach(
        (path, name) -> {
          String other = qualify(path);
          if (other.startsWith(root + "/")) {
            nested.put(other.substring(root.length() + 1), name);
          }
        });
    return nested;
  }

  /** One job's root, with its file system, tree and guard. */
  private final class Target {
    final JobSpec job;
    final RetentionSpec spec;
    final Path root;
    final FileSystem fs;
    final ExportTree tree;
    final PathGuard guard;
    final Map<String, String> otherJobs;
    Inventory inventory;

    Target(JobSpec job, Map<String, String> otherJobs) throws IOException {
      this.job = job;
      this.spec = job.retention();
      this.otherJobs = Map.copyOf(otherJobs);
      String qualified = qualify(job.sink().path());
      this.root = new Path(qualified);
      this.fs = root.getFileSystem(conf);
      this.tree =
          "file".equals(root.toUri().getScheme())
              ? new LocalTree(java.nio.file.Path.of(root.toUri()))
              : new ObjectStoreTree(fs, root);
      this.guard = new PathGuard(tree, nested(qualified, otherJobs));
    }

    Inventory inventory() throws IOException {
      if (inventory == null) {
        inventory = Inventory.read(fs, root, tree, guard);
      }
      return inventory;
    }

    RetentionPlan plan() throws IOException {
      Instant now = clock.instant();
      String policy = spec.keep().describe();
      if (job.sink().format() == SinkFormat.DELTA) {
        boolean exists = fs.exists(new Path(root, "_delta_log"));
        Optional<DeltaRetention.Plan> delta =
            exists
                ? Optional.of(DeltaRetention.plan(spark.get(), root.toString(), spec.delta()))
                : Optional.empty();
        return new RetentionPlan(
            job.name(),
            root.toString(),
            "Delta table: VACUUM and log retention",
            List.of(),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            Map.of(),
            0,
            delta);
      }
      Inventory inv = inventory();
      RetentionPolicy.Verdict verdict =
          new RetentionPolicy(spec, job.timeZone()).decide(inv.exports, now);
      Optional<String> refusal = verdict.refusal().or(this::archiveRefusal);
      List<Decision> decisions = verdict.decisions();
      if (refusal.isPresent() && verdict.refusal().isEmpty()) {
        decisions =
            decisions.stream()
                .map(
                    d ->
                        d.action().removes()
                            ? new Decision(
                                d.export(), Decision.Action.KEEP, List.of("policy refused"))
                            : d)
                .toList();
      }
      Instant graceEnd = now.minus(spec.stagingGrace());
      List<Leftover> stale =
          inv.leftovers.stream().filter(l -> l.lastModified().isBefore(graceEnd)).toList();
      List<Leftover> fresh =
          inv.leftovers.stream().filter(l -> !l.lastModified().isBefore(graceEnd)).toList();
      return new RetentionPlan(
          job.name(),
          root.toString(),
          policy,
          decisions,
          refusal,
          refusal.isPresent() ? List.of() : stale,
          refusal.isPresent() ? inv.leftovers : fresh,
          inv.retired.stream().map(Inventory.Retired::runId).toList(),
          expiredArchives(now),
          inv.refused,
          inv.unclaimedFiles,
          Optional.empty());
    }

    /** An archive location inside any job's export root would mix archives with exports. */
    private Optional<String> archiveRefusal() {
      if (spec.archive().isEmpty()) {
        return Optional.empty();
      }
      String location = qualify(spec.archive().get().location());
      Map<String, String> roots = new LinkedHashMap<>(otherJobs);
      roots.put(job.sink().path(), job.name());
      for (Map.Entry<String, String> other : roots.entrySet()) {
        String otherRoot = qualify(other.getKey());
        if (location.equals(otherRoot) || location.startsWith(otherRoot + "/")) {
          return Optional.of(
              "retention.archive.location "
                  + location
                  + " lies inside the export root of job "
                  + other.getValue()
                  + "; nothing is deleted. Archive to a prefix or bucket outside every export root");
        }
      }
      return Optional.empty();
    }

    private List<String> expiredArchives(Instant now) throws IOException {
      if (spec.archive().isEmpty() || spec.archive().get().keepDays().isEmpty()) {
        return List.of();
      }
      RetentionSpec.Archive archive = spec.archive().get();
      Path folder = new Path(archive.location(), job.name());
      Instant cutoff = now.minus(Duration.ofDays(archive.keepDays().getAsInt()));
      List<String> expired = new ArrayList<>();
      FileSystem archiveFs = folder.getFileSystem(conf);
      FileStatus[] statuses;
      try {
        statuses = archiveFs.listStatus(folder);
      } catch (FileNotFoundException e) {
        return List.of();
      }
      for (FileStatus status : statuses) {
        String name = status.getPath().getName();
        // either format: archives written before the job's archive.format
        // changed are its archives too
        for (RetentionSpec.Archive.Format format : RetentionSpec.Archive.Format.values()) {
          String suffix = "." + format.extension();
          if (status.isFile() && name.endsWith(suffix)) {
            RunId.startOf(name.substring(0, name.length() - suffix.length()))
                .filter(start -> start.isBefore(cutoff))
                .ifPresent(start -> expired.add(status.getPath().toString()));
          }
        }
      }
      expired.sort(Comparator.naturalOrder());
      return expired;
    }

    /** Finishes deletions a crash interrupted: the retired manifest names what remains. */
    void resumeRetired(List<Action> actions, List<String> failures) throws IOException {
      if (job.sink().format() == SinkFormat.DELTA) {
        return;
      }
      Inventory inv = inventory();
      if (inv.retired.isEmpty()) {
        return;
      }
      Set<String> live = liveFiles(inv, Set.of());
      for (Inventory.Retired retired : inv.retired) {
        if (retired.manifest().isEmpty()) {
          failures.add(
              "the retired manifest "
                  + retired.manifestPath()
                  + " cannot be read; it and the files it may"
                  + " name are left as they are");
          continue;
        }
        if (delete(retired.runId(), retired.files(), live, failures)) {
          fs.delete(retired.manifestPath(), false);
        }
        actions.add(
            new Action(
                retired.runId(),
                "export (interrupted deletion finished)",
                retired.files().files().size(),
                retired.files().bytes(),
                Optional.empty()));
      }
      inventory = null;
    }

    void removeExports(RetentionPlan plan, List<Action> actions, List<String> failures)
        throws IOException {
      Inventory inv = inventory();
      Set<String> keptRuns = new HashSet<>();
      plan.kept().forEach(d -> keptRuns.add(d.export().runId()));
      Set<String> live =
          liveFiles(inv, Set.copyOf(plan.removed().stream().map(d -> d.export().runId()).toList()));
      List<Decision> oldestFirst = new ArrayList<>(plan.removed());
      oldestFirst.sort(Comparator.comparing(d -> d.export().runId()));
      for (Decision decision : oldestFirst) {
        String runId = decision.export().runId();
        ExportFiles files = inv.files.get(runId);
        Path manifestPath = inv.manifestPaths.get(runId);
        Optional<String> archived = Optional.empty();
        if (decision.action() == Decision.Action.ARCHIVE_AND_DELETE) {
          archived = archive(runId, manifestPath, files, inv.manifests.get(runId), failures);
          if (archived.isEmpty()) {
            continue;
          }
        }
        Path retired =
            new Path(
                new Path(new Path(root, Manifests.DIR), Inventory.RETIRED), manifestPath.getName());
        fs.mkdirs(retired.getParent());
        if (!fs.rename(manifestPath, retired)) {
          failures.add(
              "could not retire the manifest " + manifestPath + "; export " + runId + " is kept");
          continue;
        }
        Failpoints.reach(FAILPOINT_RETIRED);
        if (delete(runId, files, live, failures)) {
          fs.delete(retired, false);
        }
        actions.add(
            new Action(
                runId,
                archived.isPresent() ? "export archived and deleted" : "export deleted",
                files.files().size(),
                files.bytes(),
                archived));
      }
    }

    /** Files that exports other than {@code leaving} name: never deleted. */
    private Set<String> liveFiles(Inventory inv, Set<String> leaving) {
      Set<String> live = new HashSet<>();
      inv.files.forEach(
          (runId, files) -> {
            if (!leaving.contains(runId)) {
              live.addAll(files.files());
            }
          });
      return live;
    }

    /** Deletes an export's files but those still live; true when none is left behind. */
    private boolean delete(String runId, ExportFiles files, Set<String> live, List<String> failures)
        throws IOException {
      List<String> doomed = new ArrayList<>();
      for (String file : files.files()) {
        if (live.contains(file)) {
          continue;
        }
        Optional<String> refusal = guard.refusal(file);
        if (refusal.isPresent()) {
          failures.add(file + " of run " + runId + " is left: " + refusal.get());
          continue;
        }
        doomed.add(file);
      }
      int half = doomed.size() / 2;
      List<String> failed = new ArrayList<>(tree.delete(doomed.subList(0, half)));
      Failpoints.reach(FAILPOINT_DELETING);
      failed.addAll(tree.delete(doomed.subList(half, doomed.size())));
      failed.forEach(f -> failures.add("could not delete " + f + " of run " + runId));
      return failed.isEmpty();
    }

    private Optional<String> archive(
        String runId,
        Path manifestPath,
        ExportFiles files,
        Manifest manifest,
        List<String> failures)
        throws IOException {
      RetentionSpec.Archive archive = spec.archive().orElseThrow();
      Path path = Archiver.path(archive.location(), job.name(), runId, archive.format());
      FileSystem archiveFs = path.getFileSystem(conf);
      String problem;
      try {
        Map<String, String> written =
            Archiver.write(
                fs, root, manifestPath, files.files(), archiveFs, path, archive.format());
        Failpoints.reach(FAILPOINT_ARCHIVED);
        problem = Archiver.verify(archiveFs, path, archive.format(), written, manifest);
      } catch (IOException e) {
        // a file of the export that cannot be read (or an archive that cannot be written) keeps
        // this export; the others go on
        problem = "the archive " + path + " cannot be written: " + e.getMessage();
      }
      if (problem != null) {
        archiveFs.delete(path, false);
        failures.add("export " + runId + " is kept: " + problem);
        return Optional.empty();
      }
      return Optional.of(path.toString());
    }

    void cleanLeftovers(RetentionPlan plan, List<Action> actions, List<String> failures)
        throws IOException {
      for (Leftover leftover : plan.staleLeftovers()) {
        List<String> doomed = new ArrayList<>();
        for (ExportTree.Entry entry :
            inventory().leftoverFiles.getOrDefault(leftover.path(), List.of())) {
          Optional<String> refusal = guard.refusal(entry.path());
          if (refusal.isPresent()) {
            failures.add(
                entry.path()
                    + " of a "
                    + leftover.kind().text()
                    + " leftover is left: "
                    + refusal.get());
          } else {
            doomed.add(entry.path());
          }
        }
        List<String> failed = tree.delete(doomed);
        failed.forEach(f -> failures.add("could not delete " + f));
        actions.add(
            new Action(
                leftover.path(),
                leftover.kind().text() + " leftover deleted",
                doomed.size() - failed.size(),
                leftover.bytes(),
                Optional.empty()));
      }
    }

    void expireArchives(RetentionPlan plan, List<Action> actions, List<String> failures)
        throws IOException {
      for (String archive : plan.expiredArchives()) {
        Path path = new Path(archive);
        long bytes = path.getFileSystem(conf).getFileStatus(path).getLen();
        if (path.getFileSystem(conf).delete(path, false)) {
          actions.add(
              new Action(archive, "archive expired and deleted", 1, bytes, Optional.empty()));
        } else {
          failures.add(
              "could not delete the expired archive " + archive + " (" + bytes + " bytes)");
        }
      }
    }
  }
}
