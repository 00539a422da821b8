/**
 * Lakeport from Java: a small API for notebooks and programs to load, validate, explain, preview
 * and run a job ({@link io.lakeport.api.Job}), and to read exports' manifests and the run history
 * ({@link io.lakeport.api.Lakeport}); the CLI's explain and preview go through it too.
 */
package io.lakeport.api;
