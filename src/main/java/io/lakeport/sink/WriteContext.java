package io.lakeport.sink;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.WriteMode;
import java.util.Optional;

/**
 * What a write needs beyond its sink spec: the job and run it belongs to (file-name templates use
 * them), where and in which mode Spark writes (the run's staging folder, or the sink path itself
 * where the committer publishes) and, when the sink asks for a target file size, the rows per file
 * the runner estimated from it; for a Delta overwrite, the condition of the rows it replaces, with
 * the job's parameters bound; and how a table sink may change its schema ({@link SchemaEvolution},
 * as the job's {@code schema-drift} policy allows).
 */
public record WriteContext(
    String job,
    String runId,
    String path,
    WriteMode mode,
    Optional<Long> recordsPerFile,
    Optional<String> replaceWhere,
    SchemaEvolution schemaEvolution) {
  /**
   * How a Delta write may change the table's schema: not at all (Delta refuses a write with new
   * columns), by adding the new columns ({@code mergeSchema}), or, for an overwrite, by replacing
   * it with the output's ({@code overwriteSchema}: removed columns go, types change).
   */
  public enum SchemaEvolution {
    KEEP,
    MERGE,
    REPLACE
  }

  public WriteContext {
    requireNonNull(job, "job is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(path, "path is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(recordsPerFile, "recordsPerFile is null");
    requireNonNull(replaceWhere, "replaceWhere is null");
    requireNonNull(schemaEvolution, "schemaEvolution is null");
  }
}
