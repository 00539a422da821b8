/**
 * The scheduler's HTTP server ({@link io.lakeport.server.ApiServer}): the status API, Prometheus
 * metrics and web page, served from the scheduler's process. Reads the run history and the jobs;
 * changes go through the history and the scheduler. Only the command line starts it.
 */
package io.lakeport.server;
