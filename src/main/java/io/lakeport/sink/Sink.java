package io.lakeport.sink;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A job's output. {@link #write} runs the Spark job that computes and writes the data. */
public interface Sink {
  /** Writes {@code data} for the run described by {@code context}. */
  void write(Dataset<Row> data, WriteContext context);
}
