/**
 * Starting runs of jobs: through spark-submit with Spark's own launcher library (tracked to a final
 * state, with a timeout and a kill path), and the Spark home assembled from Maven's jars for it.
 */
package io.lakeport.schedule.launch;
