/**
 * Lakeport from Java and over HTTP. A small Java API for notebooks and programs: load, validate,
 * explain, preview and run a job ({@link io.lakeport.api.Job}), and read exports' manifests and the
 * run history ({@link io.lakeport.api.Lakeport}); the CLI's explain and preview go through it too.
 * And the scheduler's status API, Prometheus metrics and web page ({@link
 * io.lakeport.api.ApiServer}), served from the scheduler's process: reads the run history and the
 * scheduled jobs; changes go through the history and the scheduler.
 */
package io.lakeport.api;
