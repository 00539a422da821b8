/**
 * A small Java API over Lakeport for notebooks and programs: load, validate, explain, preview and
 * run a job ({@link io.lakeport.api.Job}), and read exports' manifests and the run history
 * ({@link io.lakeport.api.Lakeport}). The CLI's explain and preview go through it too.
 */
package io.lakeport.api;
