/**
 * Writing a job's output: one public entry point, {@link io.lakeport.sink.Sinks#of}, and a
 * package-private writer per kind of sink.
 */
package io.lakeport.sink;
