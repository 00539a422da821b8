/**
 * Compiles a job's plan into DataFrame operations. Pure: a spec and a Dataset in, a Dataset out; no
 * actions and no I/O, so {@code explain}, {@code preview} and {@code run} share one compiled plan.
 */
package io.lakeport.plan;
