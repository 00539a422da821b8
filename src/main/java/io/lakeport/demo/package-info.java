/**
 * Deterministic synthetic source tables (Delta, Parquet, CSV, JSON lines) for demos and tests.
 * Nothing in the export pipeline depends on this package; it only feeds it example data.
 */
package io.lakeport.demo;
