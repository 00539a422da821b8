/**
 * Hadoop file system adjustments Lakeport selects through Spark settings; nothing here is called
 * directly.
 */
package io.lakeport.hadoop;
