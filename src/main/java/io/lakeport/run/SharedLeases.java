package io.lakeport.run;

import java.time.Duration;
import java.util.Optional;

/**
 * Export leases as every process that shares one run history sees them, on any host and any file
 * system: what keeps two runs on one export apart where no operating system lock can (S3, HDFS,
 * several hosts). A holder renews its lease while it runs; a lease whose holder is gone is taken
 * over. The run history provides them; without one, {@link #NONE}.
 */
public interface SharedLeases {
  /** No shared leases: only this host's locks keep runs apart. */
  SharedLeases NONE =
      new SharedLeases() {
        @Override
        public Optional<LeaseHolder> take(String root, LeaseHolder holder) {
          return Optional.empty();
        }

        @Override
        public boolean renew(String root, String runId) {
          return true;
        }

        @Override
        public void release(String root, String runId) {}

        @Override
        public Duration renewEvery() {
          return Duration.ZERO;
        }
      };

  /**
   * Takes the lease of {@code root} (a qualified URI) for {@code holder}'s run: empty when the run
   * holds it now, else the live run that holds it.
   */
  Optional<LeaseHolder> take(String root, LeaseHolder holder);

  /** Renews the run's lease; false when it no longer holds it (it was taken over). */
  boolean renew(String root, String runId);

  /** Releases the run's lease, if it still holds it. */
  void release(String root, String runId);

  /** How often a holder renews its lease; zero when leases need no renewing. */
  Duration renewEvery();
}
