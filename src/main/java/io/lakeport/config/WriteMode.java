package io.lakeport.config;

/**
 * What a write does with data already at the sink path. {@code OVERWRITE_PARTITIONS} replaces only
 * the partitions the run writes (Spark's dynamic partition overwrite), so re-running one day
 * replaces that day and nothing else.
 */
public enum WriteMode {
  OVERWRITE,
  OVERWRITE_PARTITIONS,
  APPEND,
  ERROR_IF_EXISTS
}
