/**
 * When jobs run by themselves: schedules and their slots across DST, execution windows, misfires,
 * retries. Builds on {@code config}; never imports spark-sql (runs are submitted, not computed
 * here).
 */
package io.lakeport.schedule;
