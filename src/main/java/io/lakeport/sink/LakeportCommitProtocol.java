package io.lakeport.sink;

import io.lakeport.fault.Failpoints;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage;
import org.apache.spark.internal.io.FileNameSpec;
import org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol;
import scala.Option;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's classic commit protocol (which, unlike the cloud one, honours dynamic partition overwrite
 * on file systems with rename), with file names from the job's {@code sink.file-name} template when
 * it has one. Spark's suffix ({@code .c000.zstd.parquet}: file counter, codec, format) is kept, so
 * names stay unique and readable by extension.
 *
 * <p>When the write asks for it ({@link FileMeasure#FORMAT}), each task measures the files it wrote
 * (bytes, rows, SHA-256) just before committing them and sends the figures with its commit message;
 * the job commit keeps those of the committed tasks, so a failed or speculative attempt counts for
 * nothing, and hands them to the run ({@link #measured}).
 */
public class LakeportCommitProtocol extends SQLHadoopMapReduceCommitProtocol {
  private static final long serialVersionUID = 1L;

  /** Hadoop settings, passed as writer options, that carry the template and its values. */
  public static final String TEMPLATE = "lakeport.file-name.template";

  public static final String JOB = "lakeport.file-name.job";
  public static final String RUN = "lakeport.file-name.run";

  private static final Map<String, List<MeasuredFile>> MEASURED = new ConcurrentHashMap<>();

  private String dir = "";

  /** The files this task created: their temporary path, and their path in the export. */
  private transient List<String[]> created;

  public LakeportCommitProtocol(String jobId, String path, boolean dynamicPartitionOverwrite) {
    super(jobId, path, dynamicPartitionOverwrite);
  }

  @Override
  public String newTaskTempFile(
      TaskAttemptContext taskContext, Option<String> dir, FileNameSpec spec) {
    this.dir = dir.isDefined() ? dir.get() : "";
    String path = super.newTaskTempFile(taskContext, dir, spec);
    if (created == null) {
      created = new ArrayList<>();
    }
    String name = new Path(path).getName();
    created.add(new String[] {path, this.dir.isEmpty() ? name : this.dir + "/" + name});
    return path;
  }

  @Override
  public TaskCommitMessage commitTask(TaskAttemptContext taskContext) {
    Optional<List<MeasuredFile>> measured =
        FileMeasure.of(taskContext.getConfiguration())
            .map(measure -> measureCreated(measure, taskContext.getConfiguration()));
    TaskCommitMessage message = super.commitTask(taskContext);
    Failpoints.reach(Failpoints.TASK_COMMITTED);
    return measured.isEmpty()
        ? message
        : new TaskCommitMessage(new Measured(message.obj(), measured.get()));
  }

  @Override
  public void commitJob(JobContext jobContext, Seq<TaskCommitMessage> taskCommits) {
    List<TaskCommitMessage> originals = new ArrayList<>();
    List<MeasuredFile> files = new ArrayList<>();
    boolean everyTaskMeasured = true;
    for (TaskCommitMessage commit : CollectionConverters.asJava(taskCommits)) {
      if (commit.obj() instanceof Measured measured) {
        originals.add(new TaskCommitMessage(measured.original()));
        files.addAll(measured.files());
      } else {
        originals.add(commit);
        everyTaskMeasured = false;
      }
    }
    super.commitJob(jobContext, CollectionConverters.asScala(originals).toList());
    String run = jobContext.getConfiguration().get(FileMeasure.RUN);
    if (run != null && everyTaskMeasured) {
      MEASURED.put(run, List.copyOf(files));
    }
  }

  /**
   * The files the committed tasks of {@code runId}'s write measured, once (they are handed over);
   * empty when the write was not measured in its tasks (another committer wrote it).
   */
  public static Optional<List<MeasuredFile>> measured(String runId) {
    return Optional.ofNullable(MEASURED.remove(runId));
  }

  private List<MeasuredFile> measureCreated(FileMeasure measure, Configuration conf) {
    List<MeasuredFile> files = new ArrayList<>();
    FileSystem fs = null;
    for (String[] file : created == null ? List.<String[]>of() : created) {
      Path path = new Path(file[0]);
      try {
        fs = fs == null ? path.getFileSystem(conf) : fs;
        files.add(measure.measure(fs, path, file[1], conf));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot measure the file " + file[0] + " this task wrote: " + e.getMessage(), e);
      }
    }
    return files;
  }

  /** A task's commit message with the files it measured. */
  private record Measured(Object original, List<MeasuredFile> files) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public String getFilename(TaskAttemptContext taskContext, FileNameSpec spec) {
    String template = taskContext.getConfiguration().get(TEMPLATE);
    if (template == null || template.isEmpty()) {
      return super.getFilename(taskContext, spec);
    }
    int part = taskContext.getTaskAttemptID().getTaskID().getId();
    String name =
        template
            .replace("{job}", taskContext.getConfiguration().get(JOB, "job"))
            .replace("{run}", taskContext.getConfiguration().get(RUN, "run"))
            .replace("{partition}", dir.isEmpty() ? "all" : dir.replace('/', '_'))
            .replace("{part}", String.format(Locale.ROOT, "%05d", part));
    return spec.prefix() + name + spec.suffix();
  }
}
