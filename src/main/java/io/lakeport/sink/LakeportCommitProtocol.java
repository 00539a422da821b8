package io.lakeport.sink;

import java.util.Locale;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.internal.io.FileNameSpec;
import org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol;
import scala.Option;

/**
 * Spark's classic commit protocol (which, unlike the cloud one, honours dynamic partition
 * overwrite on file systems with rename), with file names from the job's {@code sink.file-name}
 * template when it has one. Spark's suffix ({@code .c000.zstd.parquet}: file counter, codec,
 * format) is kept, so names stay unique and readable by extension.
 */
public class LakeportCommitProtocol extends SQLHadoopMapReduceCommitProtocol {
  private static final long serialVersionUID = 1L;
  /** Hadoop settings, passed as writer options, that carry the template and its values. */
  public static final String TEMPLATE = "lakeport.file-name.template";
  public static final String JOB = "lakeport.file-name.job";
  public static final String RUN = "lakeport.file-name.run";

  private String dir = "";

  public LakeportCommitProtocol(String jobId, String path, boolean dynamicPartitionOverwrite) {
    super(jobId, path, dynamicPartitionOverwrite);
  }

  @Override
  public String newTaskTempFile(TaskAttemptContext taskContext, Option<String> dir, FileNameSpec spec) {
    this.dir = dir.isDefined() ? dir.get() : "";
    return super.newTaskTempFile(taskContext, dir, spec);
  }

  @Override
  public org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage commitTask(TaskAttemptContext taskContext) {
    org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage message = super.commitTask(taskContext);
    io.lakeport.fault.Failpoints.reach(io.lakeport.fault.Failpoints.TASK_COMMITTED);
    return message;
  }

  @Override
  public String getFilename(TaskAttemptContext taskContext, FileNameSpec spec) {
    String template = taskContext.getConfiguration().get(TEMPLATE);
    if (template == null || template.isEmpty()) {
      return super.getFilename(taskContext, spec);
    }
    int part = taskContext.getTaskAttemptID().getTaskID().getId();
    String name = template
        .replace("{job}", taskContext.getConfiguration().get(JOB, "job"))
        .replace("{run}", taskContext.getConfiguration().get(RUN, "run"))
        .replace("{partition}", dir.isEmpty() ? "all" : dir.replace('/', '_'))
        .replace("{part}", String.format(Locale.ROOT, "%05d", part));
    return spec.prefix() + name + spec.suffix();
  }
}
