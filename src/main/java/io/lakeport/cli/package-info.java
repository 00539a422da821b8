/**
 * The {@code lakeport} command line (picocli): run, validate, explain, preview, jobs, schedule
 * list, verify and demo. The same entry point serves {@code bin/lakeport} and {@code spark-submit
 * --class io.lakeport.cli.Lakeport}.
 */
package io.lakeport.cli;
