/**
 * The run history: runs, their attempts, job locks, watermarks, notifications and the scheduler's
 * job state, kept in H2 or PostgreSQL through {@link io.lakeport.history.HistoryStore}. Plain JDBC
 * and records; no Spark, so the CLI, the scheduler and a status page read it without a session.
 */
package io.lakeport.history;
