/**
 * The run history in SQLite, H2 or PostgreSQL: {@link io.lakeport.history.HistoryStore} opens it
 * and hands out one part per concern (runs and attempts, job locks, export leases, schedule state,
 * watermarks, notification deliveries). Plain JDBC and records; no Spark, so the CLI, the scheduler
 * and a status page read it without a session.
 */
package io.lakeport.history;
