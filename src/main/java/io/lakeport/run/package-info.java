/**
 * Running an export: the session, source read, compiled plan, write, per-file statistics, and the
 * run's manifest assembled and published (its model is in {@code io.lakeport.manifest}). The CLI,
 * spark-submit, notebooks and tests all run jobs through {@link io.lakeport.run.ExportRunner}.
 */
package io.lakeport.run;
