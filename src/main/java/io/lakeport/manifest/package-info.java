/**
 * The manifest of an export: what a run published (files, rows, bytes, schema, inputs, quality,
 * timings) as {@link io.lakeport.manifest.Manifest}, where manifests lie under an export root and
 * how they are read ({@link io.lakeport.manifest.Manifests}, {@link
 * io.lakeport.manifest.PublishedManifests}), and {@link io.lakeport.manifest.Verifier}, which
 * checks an export against its manifest. Read by retention, notifications, the HTTP server, the
 * Java API and the CLI; written by {@code run}. Needs a Hadoop file system and no Spark SQL, and
 * uses no package that runs exports.
 */
package io.lakeport.manifest;
