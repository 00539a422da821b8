/**
 * Airflow as the orchestrator: DAG files generated from job files (one {@link
 * io.lakeport.airflow.ScheduledCommand} each, submitted with SparkSubmitOperator), and a client of
 * Airflow's stable REST API that triggers DAG runs and reads their state. Builds on {@code config}
 * and {@code schedule}; no Spark.
 */
package io.lakeport.airflow;
