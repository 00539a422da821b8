package io.lakeport.plan;

import io.lakeport.config.IncrementalSpec;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Origin;
import io.lakeport.config.SinkSpec;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VariantType;

/**
 * What the rest of a job expects of the columns around its plan, checked with the plan: the
 * watermark column in the source, the sink's partition columns in the plan's output. Spark would
 * otherwise refuse these only while the run writes.
 */
final class OutputChecks {
  private static final String PARTITION_BY = "partition-by";

  private OutputChecks() {}

  static void check(JobSpec job, StructType source, StructType output, PlanProblems problems) {
    watermark(job.incremental(), source, problems);
    partitions(job.sink(), output, problems);
  }

  private static void watermark(
      IncrementalSpec incremental, StructType source, PlanProblems problems) {
    if (incremental.mode() != IncrementalSpec.Mode.WATERMARK || incremental.column().isEmpty()) {
      return;
    }
    String column = incremental.column().get();
    if (!PlanProblems.has(source, column)) {
      problems.add(
          incremental.origin().child("column"),
          "the source has no column \"" + column + "\"",
          "The watermark column is read from the source, before the plan. Source columns: "
              + PlanProblems.columns(source)
              + ".");
    }
  }

  private static void partitions(SinkSpec sink, StructType output, PlanProblems problems) {
    Origin origin = sink.origin(PARTITION_BY);
    for (String column : sink.partitionBy()) {
      if (!PlanProblems.has(output, column)) {
        problems.add(
            origin,
            "the plan's output has no column \"" + column + "\" to partition by",
            "Output columns: "
                + PlanProblems.columns(output)
                + ". Keep the column in plan.select, or partition by another one.");
        continue;
      }
      DataType type = PlanProblems.type(output, column);
      if (type instanceof StructType
          || type instanceof ArrayType
          || type instanceof MapType
          || type instanceof VariantType) {
        problems.add(
            origin,
            "cannot partition by \"" + column + "\": its type is " + type.simpleString(),
            "Partition by a column of plain values (a string, number or date).");
      }
    }
    if (!sink.partitionBy().isEmpty()
        && sink.partitionBy().size() >= output.fields().length
        && sink.partitionBy().stream().allMatch(c -> PlanProblems.has(output, c))) {
      problems.add(
          origin,
          "every output column is a partition column, so the files would hold no data",
          "Partition by fewer columns.");
    }
  }
}
