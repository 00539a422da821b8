/**
 * Reading a job's source: one public entry point, {@link io.lakeport.source.Sources#of}, and a
 * package-private reader per kind of source.
 */
package io.lakeport.source;
