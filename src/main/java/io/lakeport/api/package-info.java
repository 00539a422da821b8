/**
 * The scheduler's status API, Prometheus metrics and web page, served over HTTP from the scheduler's
 * process: reads the run history and the scheduled jobs; changes go through the history and the scheduler.
 */
package io.lakeport.api;
