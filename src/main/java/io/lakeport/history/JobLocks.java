package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import io.lakeport.config.HistorySettings;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schedulers' job locks, which keep one run per job active: taken for a run, renewed by its
 * heartbeat, released, taken over when stale ({@link Locks} holds the SQL), and settled when a
 * scheduler restarts. Obtained from {@link HistoryStore#locks()}.
 */
public final class JobLocks {
  private final HistoryDatabase database;
  private final HistorySettings settings;
  private final Clock clock;

  JobLocks(HistoryDatabase database, HistorySettings settings, Clock clock) {
    this.database = database;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Takes the lock of {@code job} for {@code runId}: present when it is now held by this run (also
   * when it already was), empty when another run holds it with a fresh heartbeat. A stale lock (no
   * heartbeat for {@code lock-ttl}) is taken over, and the run that held it is marked interrupted.
   */
  public Optional<Lock> lock(String job, String runId, String owner) {
    Instant now = now();
    Lock wanted = new Lock(job, runId, owner, Rows.stored(now), Rows.stored(now));
    Optional<Lock> inserted =
        database.transaction(
            "take the lock of job " + job,
            c -> {
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO locks (" + Rows.LOCK_COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
                bind(insert, job, runId, owner, now, now).executeUpdate();
              }
              return Optional.of(wanted);
            },
            Optional.empty());
    return inserted.isPresent()
        ? inserted
        : database.transaction(
            "take over the lock of job " + job,
            c -> Locks.takeOver(c, wanted, settings.lockTtl()),
            Optional.empty());
  }

  /** Renews the lock's heartbeat; false when the run no longer holds it (it was taken over). */
  public boolean heartbeat(String job, String runId) {
    Instant now = now();
    return database.transaction(
        "renew the lock of job " + job,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE locks SET heartbeat_at = ? WHERE job = ? AND run_id = ?")) {
            return bind(update, now, job, runId).executeUpdate() == 1;
          }
        });
  }

  /** Releases the lock; false when the run did not hold it. */
  public boolean unlock(String job, String runId) {
    return database.transaction(
        "release the lock of job " + job,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM locks WHERE job = ? AND run_id = ?")) {
            return bind(delete, job, runId).executeUpdate() == 1;
          }
        });
  }

  /** Who holds the lock of {@code job}, if anyone. */
  public Optional<Lock> holder(String job) {
    return database.transaction("read the lock of job " + job, c -> Locks.holder(c, job));
  }

  /**
   * For a scheduler that restarted as {@code owner}: its locks belong to runs it lost when it
   * stopped. Marks those runs interrupted, ends their open attempts and frees the locks; returns
   * the runs, now interrupted, for the retry policy to decide on.
   */
  public List<Run> interruptLost(String owner) {
    Instant now = now();
    return database.transaction(
        "interrupt the runs lost by " + owner,
        c -> {
          List<Lock> held;
          try (PreparedStatement select =
              c.prepareStatement("SELECT " + Rows.LOCK_COLUMNS + " FROM locks WHERE owner = ?")) {
            held = Rows.all(bind(select, owner), Rows::lock);
          }
          List<Run> interrupted = new ArrayList<>();
          for (Lock lock : held) {
            Locks.interrupt(
                c,
                lock.runId(),
                now,
                owner + " stopped while the run was active (found at its restart)");
            RunLog.read(c, lock.runId()).ifPresent(interrupted::add);
          }
          try (PreparedStatement delete = c.prepareStatement("DELETE FROM locks WHERE owner = ?")) {
            bind(delete, owner).executeUpdate();
          }
          return interrupted;
        });
  }

  private Instant now() {
    return Rows.stored(clock.instant());
  }
}
