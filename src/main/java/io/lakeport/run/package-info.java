/**
 * Running an export: the session, source read, compiled plan, write, per-file statistics and the
 * run manifest. The CLI, spark-submit, notebooks and tests all run jobs through {@link
 * io.lakeport.run.ExportRunner}.
 */
package io.lakeport.run;
