/**
 * Job files and site settings: HOCON in, immutable validated records out. Imports nothing from
 * Spark, so {@code lakeport validate} checks every job before a Spark session exists.
 */
package io.lakeport.config;
