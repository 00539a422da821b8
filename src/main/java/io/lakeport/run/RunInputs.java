package io.lakeport.run;

import io.lakeport.config.InputSpec;
import io.lakeport.config.JobSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.source.SourceRead;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The inputs of one run, each read as the job says: pinned, the increment of an incremental input
 * only, records that do not parse set aside (counted and quarantined per input). A job with one
 * source has one input, {@value InputSpec#SINGLE}; the plan combines several.
 */
final class RunInputs {
  private final JobSpec job;
  private final List<Read> reads;

  /** One input as read: how much of it, its malformed records, its well-formed rows. */
  private record Read(
      InputSpec input, Increment increment, MalformedRecords malformed, SourceRead rows) {}

  private RunInputs(JobSpec job, List<Read> reads) {
    this.job = job;
    this.reads = List.copyOf(reads);
  }

  /** Plans the read of every input of {@code job}; reads no data. */
  static RunInputs read(JobSpec job, FileSystem fs, Path root, String runId, SparkSession session)
      throws IOException {
    List<Read> reads = new ArrayList<>();
    for (InputSpec input : job.inputs()) {
      String name = job.combines() ? runId + "-" + input.name() : runId;
      Increment increment = Increment.of(job, input, fs, root, runId);
      MalformedRecords malformed = new MalformedRecords(increment.read(session), name);
      reads.add(new Read(input, increment, malformed, malformed.wellFormed()));
    }
    return new RunInputs(job, reads);
  }

  /** The well-formed rows of each input, by name, in the job's order. */
  Map<String, Dataset<Row>> data() {
    Map<String, Dataset<Row>> data = new LinkedHashMap<>();
    reads.forEach(read -> data.put(read.input().name(), read.rows().data()));
    return data;
  }

  /** The first input, which the manifest's {@code source} describes. */
  SourceRead first() {
    return reads.get(0).rows();
  }

  /** Pinned when every input is: a run may then read them again (for quarantined rows). */
  SourceRead.Stability stability() {
    return reads.stream().allMatch(r -> r.rows().stability() == SourceRead.Stability.PINNED)
        ? SourceRead.Stability.PINNED
        : SourceRead.Stability.LIVE;
  }

  /** The manifest's {@code increment}: the first incremental input's; null when none is. */
  Manifest.Increment increment() {
    return reads.stream()
        .map(read -> read.increment().record(read.rows()))
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /** Whether some input marks malformed records (CSV, JSON, XML). */
  boolean checksMalformed() {
    return reads.stream().anyMatch(read -> read.malformed().checked());
  }

  /** Records of all inputs that did not parse; known once the write has run. */
  long malformed() {
    return reads.stream().mapToLong(read -> read.malformed().count()).sum();
  }

  /**
   * Writes the malformed records under {@code path}: there for one input, in a folder per input
   * ({@code path/<input>}) for several.
   */
  void writeMalformed(String path) {
    for (Read read : reads) {
      read.malformed()
          .writeRejects(job.combines() ? new Path(path, read.input().name()).toString() : path);
    }
  }

  /**
   * The manifest's {@code inputs}, for a job with several (null for one): each with what was read,
   * its increment and the rows its scans read.
   */
  List<Manifest.Input> described(List<ScanMetrics.Scan> scans) {
    if (!job.combines()) {
      return null;
    }
    Map<String, List<String>> roots = new LinkedHashMap<>();
    reads.forEach(read -> roots.put(read.input().name(), roots(read.rows().data())));
    Map<String, Long> rows = new LinkedHashMap<>();
    long unmatched = 0;
    boolean anyUnmatched = false;
    for (ScanMetrics.Scan scan : scans) {
      Optional<String> input = owner(scan, roots);
      if (input.isPresent()) {
        rows.merge(input.get(), scan.rows(), Long::sum);
      } else {
        unmatched += scan.rows();
        anyUnmatched = true;
      }
    }
    List<String> withoutFiles =
        roots.entrySet().stream()
            .filter(e -> e.getValue().isEmpty())
            .map(Map.Entry::getKey)
            .toList();
    // the scans of a database or catalog table name no files: they are the one such input's
    if (withoutFiles.size() == 1 && anyUnmatched) {
      rows.put(withoutFiles.get(0), unmatched);
    }
    List<Manifest.Input> inputs = new ArrayList<>();
    for (Read read : reads) {
      String name = read.input().name();
      Long read_ =
          rows.containsKey(name)
              ? rows.get(name)
              : roots.get(name).isEmpty() || ambiguous(name, roots) ? null : 0L;
      inputs.add(
          new Manifest.Input(
              name,
              ManifestAssembly.described(read.rows()),
              read_,
              read.increment().record(read.rows())));
    }
    return inputs;
  }

  /** The input a scan of files read: the one whose folders hold every path the scan was given. */
  private static Optional<String> owner(ScanMetrics.Scan scan, Map<String, List<String>> roots) {
    if (scan.roots().isEmpty()) {
      return Optional.empty();
    }
    List<String> owners =
        roots.entrySet().stream()
            .filter(
                e ->
                    scan.roots().stream()
                        .allMatch(path -> e.getValue().stream().anyMatch(r -> below(path, r))))
            .map(Map.Entry::getKey)
            .toList();
    // two inputs of one folder: which one a scan read cannot be told
    return owners.size() == 1 ? Optional.of(owners.get(0)) : Optional.empty();
  }

  private static boolean ambiguous(String name, Map<String, List<String>> roots) {
    return roots.entrySet().stream()
        .anyMatch(
            e ->
                !e.getKey().equals(name)
                    && e.getValue().stream()
                        .anyMatch(
                            r ->
                                roots.get(name).stream()
                                    .anyMatch(mine -> below(mine, r) || below(r, mine))));
  }

  private static boolean below(String path, String root) {
    return path.equals(root) || path.startsWith(root.endsWith("/") ? root : root + "/");
  }

  /**
   * The folders (or files) the file scans of {@code data} read, qualified as Spark's scans name
   * them.
   */
  private static List<String> roots(Dataset<Row> data) {
    List<String> roots = new ArrayList<>();
    for (LogicalPlan leaf :
        CollectionConverters.asJava(data.queryExecution().analyzed().collectLeaves())) {
      if (leaf instanceof LogicalRelation relation
          && relation.relation() instanceof HadoopFsRelation files) {
        CollectionConverters.asJava(files.location().rootPaths())
            .forEach(path -> roots.add(path.toString()));
      }
    }
    return roots;
  }
}
