package io.lakeport.source;

import org.apache.spark.sql.SparkSession;

/** A job's input. Reading is lazy: it plans a scan and pins what it reads, but scans no data. */
public interface Source {
  SourceRead read(SparkSession spark);
}
