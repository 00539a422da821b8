package io.lakeport.failure;

/**
 * An exception that knows what kind of failure it is: Lakeport's own exceptions implement it, so
 * that {@link ExitCode#of(Throwable)} classifies them without knowing their packages.
 */
public interface Classified {
  /** The exit code a command that fails with this exception ends with. */
  ExitCode exitCode();
}
