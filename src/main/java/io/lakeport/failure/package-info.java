/**
 * How a failure ends a command, the same for every entry point: one {@link
 * io.lakeport.failure.ExitCode} per kind of failure (a mistake in a job or a command, a failure
 * outside Lakeport, a bug), decided once by {@link io.lakeport.failure.ExitCode#of(Throwable)}, and
 * summed up in a few lines by {@link io.lakeport.failure.FailureText} for the run history and the
 * notifications. The lowest package: it depends on no other package of Lakeport.
 */
package io.lakeport.failure;
