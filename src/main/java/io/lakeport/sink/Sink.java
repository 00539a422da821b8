package io.lakeport.sink;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A job's output. {@link #write} runs the Spark job that computes and writes the data. */
public interface Sink {
  void write(Dataset<Row> data);
}
