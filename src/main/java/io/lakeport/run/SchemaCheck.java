package io.lakeport.run;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.IncrementalSpec;
import io.lakeport.config.InputSpec;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.config.SourceFormat;
import io.lakeport.config.SourceSpec;
import io.lakeport.failure.FailureText;
import io.lakeport.plan.PlanCompiler;
import io.lakeport.source.SourceRead;
import io.lakeport.source.Sources;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks a job against its source's schema without running it: the source is read lazily (a file's
 * footer, the Delta log, a given schema, JDBC metadata) and the plan compiled on it with the sink's
 * columns checked, so every job mistake that needs the schema is found before anything is written.
 * {@code lakeport validate} calls {@link #validate}; every run calls {@link #require} first.
 */
public final class SchemaCheck {
  /**
   * What validate learned of one job: its schema-level problems, or why its source was not read.
   */
  public record Result(List<ConfigProblem> problems, Optional<String> unchecked) {
    public Result {
      problems = List.copyOf(problems);
      requireNonNull(unchecked, "unchecked is null");
    }
  }

  private SchemaCheck() {}

  /**
   * Why validate does not read this job's source (finding its columns would read its data), or
   * empty when it reads it cheaply; needs no Spark.
   */
  public static Optional<String> unread(JobSpec job) {
    for (InputSpec input : job.inputs()) {
      Optional<String> why = unread(input.source());
      if (why.isPresent()) {
        return job.combines() ? Optional.of("input " + input.name() + ": " + why.get()) : why;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> unread(SourceSpec source) {
    if (source.schema().isPresent()) {
      return Optional.empty();
    }
    String key = "source.schema";
    return switch (source.format()) {
      case CSV ->
          "true".equalsIgnoreCase(source.options().getOrDefault("inferSchema", "false"))
              ? Optional.of(
                  "a CSV source with infer-schema = true is read whole to find its columns; give"
                      + " "
                      + key
                      + " to have it checked")
              : Optional.empty();
      case JSON, XML ->
          Optional.of(
              "a "
                  + source.format().name()
                  + " source without "
                  + key
                  + " is read whole to find its columns; give "
                  + key
                  + " to have it checked");
      case PARQUET, AVRO, DELTA, JDBC, TABLE -> Optional.empty();
    };
  }

  /**
   * Checks {@code job} as validate does: its schema-level problems, or, when the source cannot be
   * read now, why not (a warning, not a failure: the source may appear by the time the job runs).
   */
  public static Result validate(SparkSession spark, JobSpec job) {
    Optional<String> unread = unread(job).or(() -> absent(spark, job));
    if (unread.isPresent()) {
      return new Result(List.of(), unread);
    }
    SparkSession session = Sessions.forJob(spark, job);
    Map<String, Dataset<Row>> source;
    try {
      source = inputs(session, job);
    } catch (JobConfigException e) {
      return new Result(List.of(), Optional.of(e.problems().get(0).problem()));
    } catch (Exception e) {
      // Exception, not only RuntimeException: JDBC drivers and Spark throw undeclared checked ones
      return new Result(List.of(), Optional.of("cannot read it: " + FailureText.firstLine(e)));
    }
    try {
      PlanCompiler.compile(job, source, Optional.empty());
      return new Result(List.of(), Optional.empty());
    } catch (JobConfigException e) {
      return new Result(e.problems(), Optional.empty());
    }
  }

  /**
   * Compiles the plan of {@code job} on its source in {@code session}, without writing: throws
   * every schema-level problem at once as a {@link JobConfigException}. A source whose columns only
   * a full read shows is left to the run's own compilation, which still comes before any data is
   * written: reading it twice would double the run.
   */
  static void require(SparkSession session, JobSpec job) {
    if (unread(job).isEmpty()) {
      PlanCompiler.compile(job, inputs(session, job), Optional.empty());
    }
  }

  /**
   * The inputs as the plan sees them, by name: change feeds' columns for inputs read as one,
   * without the malformed marker; reads no data.
   */
  public static Map<String, Dataset<Row>> inputs(SparkSession session, JobSpec job) {
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    for (InputSpec input : job.inputs()) {
      SourceRead read =
          job.incremental().mode() == IncrementalSpec.Mode.CHANGE_FEED
                  && job.incremental().of(input.name())
              ? Sources.changes(input.source(), session, Optional.empty())
              : Sources.of(input.source()).read(session);
      inputs.put(input.name(), read.data().drop(SourceRead.MALFORMED));
    }
    return inputs;
  }

  private static Optional<String> absent(SparkSession spark, JobSpec job) {
    for (InputSpec input : job.inputs()) {
      Optional<String> why = absent(spark, input.source());
      if (why.isPresent()) {
        return job.combines() ? Optional.of("input " + input.name() + ": " + why.get()) : why;
      }
    }
    return Optional.empty();
  }

  /** Why a file source cannot be read: its path does not exist (yet). */
  private static Optional<String> absent(SparkSession spark, SourceSpec source) {
    if (source.path().isEmpty()
        || source.format() == SourceFormat.JDBC
        || source.format() == SourceFormat.TABLE) {
      return Optional.empty();
    }
    String location = source.path().get();
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] found = fs.globStatus(path);
      return found == null || found.length == 0
          ? Optional.of(location + " does not exist")
          : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of(
          "cannot look at " + location + ": " + FailureText.firstLine(e).toLowerCase(Locale.ROOT));
    }
  }
}
