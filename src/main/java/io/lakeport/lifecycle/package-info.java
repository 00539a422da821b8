/**
 * The one owner of a run, for every entry point ({@code lakeport run} and its backfills, {@code
 * demo}, the spark-submit driver, the scheduler's in-process launcher, the Java API, retention):
 * record the run as started, hold its export's lease, execute and publish it, record how it ended,
 * announce it. {@link io.lakeport.lifecycle.RunLifecycle} does the sequence; {@link
 * io.lakeport.lifecycle.RunRecords} is its single writer of run records (best effort: a history
 * that is down never stops an export). Entry points only choose the runs and print.
 */
package io.lakeport.lifecycle;
