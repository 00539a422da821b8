package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The log of runs: each run from queued to its end (succeeded, failed, skipped, cancelled,
 * interrupted, lost), its attempts, the requests to cancel it, and what is read back from them (the
 * queue, the runs of a job, statistics). A slot fires once however many schedulers try: the
 * database settles who queues it. Obtained from {@link HistoryStore#runLog()}.
 */
public final class RunLog {
  private final HistoryDatabase database;
  private final Clock clock;

  RunLog(HistoryDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Marks {@code lost} the running runs of this machine, held by no scheduler's lock, whose process
   * has ended (see {@link LostRuns}); returns their ids.
   */
  public List<String> recordLost() {
    Instant now = now();
    return database.transaction(
        "record the runs lost by dead processes", c -> LostRuns.record(c, Worker.current(), now));
  }

  /**
   * Puts a run in the queue. Empty when a run for the same job and slot (or with the same id)
   * exists: a slot fires once, however many schedulers try.
   */
  public Optional<Run> enqueue(RunRequest request) {
    Instant now = now();
    Run queued = queued(request, now);
    return database.transaction(
        "queue run " + request.runId() + " of job " + request.job(),
        c -> {
          insert(c, queued, now);
          return Optional.of(queued);
        },
        Optional.empty());
  }

  /**
   * Records a run that starts now in this process ({@code lakeport run}, the Java API): queued and
   * started in one transaction, so that no scheduler ever finds it queued and starts it as well.
   */
  public Attempt begin(RunRequest request, Worker worker) {
    Instant now = now();
    Run run = queued(request, now);
    return database.transaction(
        "start run " + request.runId() + " of job " + request.job(),
        c -> {
          insert(c, run, now);
          return startAttempt(c, request.runId(), worker, now);
        });
  }

  /** The run a request makes, queued at {@code now}. */
  private static Run queued(RunRequest request, Instant now) {
    return new Run(
        request.runId(),
        request.job(),
        request.slot().map(Rows::stored),
        request.trigger(),
        request.params(),
        RunStatus.QUEUED,
        now,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static void insert(Connection c, Run queued, Instant now) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO runs (run_id, job, slot_time, run_trigger, params,"
                + " status, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      bind(
              insert,
              queued.id(),
              queued.job(),
              queued.slot(),
              queued.trigger().text(),
              Rows.json(queued.params()),
              queued.status().text(),
              now)
          .executeUpdate();
    }
  }

  /**
   * Starts an attempt at a queued run, or another attempt at one that failed or was interrupted (a
   * retry): the run is running from now, and the attempt numbered after the last.
   */
  public Attempt start(String runId, Worker worker) {
    Instant now = now();
    return database.transaction("start run " + runId, c -> startAttempt(c, runId, worker, now));
  }

  /** Marks a queued (or failed, interrupted, lost) run running and opens its next attempt. */
  private static Attempt startAttempt(Connection c, String runId, Worker worker, Instant now)
      throws SQLException {
    requireUpdated(
        c,
        "start",
        runId,
        "queued, failed or interrupted",
        "UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), finished_at = NULL,"
            + " error = NULL WHERE run_id = ? AND status IN ('queued', 'failed', 'interrupted', 'lost')",
        now,
        runId);
    int number;
    try (PreparedStatement last =
        c.prepareStatement("SELECT COALESCE(MAX(attempt), 0) FROM attempts WHERE run_id = ?")) {
      number = Rows.first(bind(last, runId), rs -> rs.getInt(1)).orElse(0) + 1;
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO attempts (run_id, attempt, started_at, host, pid) VALUES (?, ?, ?, ?, ?)")) {
      bind(insert, runId, number, now, worker.host(), worker.pid()).executeUpdate();
    }
    return new Attempt(
        runId,
        number,
        Rows.stored(now),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        worker);
  }

  /** Ends a running run and its open attempt as {@code outcome} says. */
  public Run finish(String runId, RunOutcome outcome) {
    Instant now = now();
    return database.transaction(
        "finish run " + runId,
        c -> {
          requireUpdated(
              c,
              "finish",
              runId,
              "running",
              "UPDATE runs SET status = ?, finished_at = ?, rows_written = ?,"
                  + " bytes_written = ?, files_written = ?, manifest = ?, error = ? WHERE run_id = ? AND status = 'running'",
              outcome.status().text(),
              now,
              outcome.rows(),
              outcome.bytes(),
              outcome.files(),
              outcome.manifest(),
              outcome.error(),
              runId);
          try (PreparedStatement attempt =
              c.prepareStatement(
                  "UPDATE attempts SET finished_at = ?, exit_code = ?, error = ?"
                      + " WHERE run_id = ? AND finished_at IS NULL")) {
            bind(attempt, now, outcome.exitCode(), outcome.error(), runId).executeUpdate();
          }
          return counted(c, runId);
        });
  }

  /**
   * Names the log file of run {@code runId}, which the process running it writes; a run the history
   * does not hold is left alone.
   */
  public void logFile(String runId, String path) {
    database.transaction(
        "name the log file of run " + runId,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE runs SET log_file = ? WHERE run_id = ?")) {
            return bind(update, path, runId).executeUpdate();
          }
        });
  }

  /**
   * Records how run {@code runId}'s output schema differed from the export it followed, as JSON; a
   * run the history does not hold is left alone.
   */
  public void schemaDrift(String runId, String json) {
    database.transaction(
        "record the schema drift of run " + runId,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE runs SET schema_drift = ? WHERE run_id = ?")) {
            return bind(update, json, runId).executeUpdate();
          }
        });
  }

  /**
   * Records what run {@code runId} read of each input of a job with several, as JSON; a run the
   * history does not hold is left alone.
   */
  public void inputs(String runId, String json) {
    database.transaction(
        "record the inputs of run " + runId,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE runs SET inputs = ? WHERE run_id = ?")) {
            return bind(update, json, runId).executeUpdate();
          }
        });
  }

  /** Cancels a run that has not started. */
  public Run cancel(String runId) {
    Instant now = now();
    return database.transaction(
        "cancel run " + runId,
        c -> {
          requireUpdated(
              c,
              "cancel",
              runId,
              "queued",
              "UPDATE runs SET status = 'cancelled', finished_at = ? WHERE run_id = ? AND status = 'queued'",
              now,
              runId);
          return counted(c, runId);
        });
  }

  /**
   * Asks the scheduler running {@code runId} to cancel it, as {@code requestedBy} (who, and from
   * where): the request is kept with the run, and the scheduler holding the run's lock stops it at
   * its next pass ({@link #cancelRequests()}). Refused, with the reason, unless the run is running
   * under a scheduler's lock. A second request keeps the first one's asker and time.
   */
  public CancelRequest requestCancel(String runId, String requestedBy) {
    Instant now = now();
    return database.transaction(
        "request the cancel of run " + runId,
        c -> CancelRequests.record(c, runId, requestedBy, now));
  }

  /**
   * The requests to cancel running runs, oldest first: each scheduler honours those of its own
   * runs.
   */
  public List<CancelRequest> cancelRequests() {
    return database.transaction("read the cancel requests", CancelRequests::running);
  }

  /** Who asked to cancel the run, and when, if anyone did. */
  public Optional<CancelRequest> cancelRequest(String runId) {
    return database.transaction(
        "read the cancel request of run " + runId, c -> CancelRequests.of(c, runId));
  }

  /**
   * Ends a queued run without starting it (its slot was missed, or its execution window closed),
   * keeping {@code reason} as its error.
   */
  public Run skip(String runId, String reason) {
    Instant now = now();
    return database.transaction(
        "skip run " + runId,
        c -> {
          requireUpdated(
              c,
              "skip",
              runId,
              "queued",
              "UPDATE runs SET status = 'skipped', finished_at = ?, error = ?"
                  + " WHERE run_id = ? AND status = 'queued'",
              now,
              RunOutcome.summary(reason),
              runId);
          return counted(c, runId);
        });
  }

  /**
   * Queues a failed or interrupted run again for its next attempt, not to start before {@code
   * notBefore}; its last error is kept until the attempt starts.
   */
  public Run requeue(String runId, Instant notBefore) {
    return database.transaction(
        "queue run " + runId + " again",
        c -> {
          requireUpdated(
              c,
              "queue again",
              runId,
              "failed or interrupted",
              "UPDATE runs SET status = 'queued',"
                  + " finished_at = NULL, not_before = ? WHERE run_id = ? AND status IN ('failed', 'interrupted', 'lost')",
              Rows.stored(notBefore),
              runId);
          return read(c, runId).orElseThrow();
        });
  }

  /** The queued runs, oldest slot first (runs without a slot by when they were queued). */
  public List<QueuedRun> queued() {
    return database.transaction(
        "list queued runs",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + Rows.RUN_COLUMNS
                      + ", not_before FROM runs"
                      + " WHERE status = 'queued' ORDER BY COALESCE(slot_time, queued_at), run_id")) {
            return Rows.all(select, rs -> new QueuedRun(Rows.run(rs), Rows.time(rs, "not_before")));
          }
        });
  }

  /**
   * Every job the history knows: those with runs, and those with a schedule state, in name order.
   */
  public List<String> jobs() {
    return database.transaction(
        "read the jobs",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT job FROM runs UNION SELECT job FROM schedule_state ORDER BY job")) {
            return Rows.all(select, rs -> rs.getString(1));
          }
        });
  }

  /** The runs the filter selects, newest first. */
  public List<Run> runs(RunFilter filter) {
    return database.transaction(
        "list runs",
        c -> {
          List<Object> values = new ArrayList<>();
          StringBuilder sql =
              new StringBuilder("SELECT " + Rows.RUN_COLUMNS + " FROM runs WHERE 1 = 1");
          filter
              .job()
              .ifPresent(
                  job -> {
                    sql.append(" AND job = ?");
                    values.add(job);
                  });
          filter
              .status()
              .ifPresent(
                  status -> {
                    sql.append(" AND status = ?");
                    values.add(status.text());
                  });
          try (PreparedStatement select =
              c.prepareStatement(sql.append(" ORDER BY queued_at DESC, run_id DESC").toString())) {
            select.setMaxRows(filter.limit());
            return Rows.all(bind(select, values.toArray()), Rows::run);
          }
        });
  }

  /**
   * Deletes the runs that ended before {@code before}, with their attempts and notification
   * deliveries, and says what went; runs that have not ended, and those the scheduler still needs,
   * are kept (see {@link Pruning}). The counts of ended runs ({@link HistoryStore#totals()}) stay.
   */
  public Pruned prune(Instant before) {
    return database.transaction(
        "prune the runs that ended before " + before, c -> Pruning.delete(c, before));
  }

  /** What {@link #prune} would delete now, deleting nothing. */
  public Pruned prunable(Instant before) {
    return database.transaction(
        "find the runs that ended before " + before, c -> Pruning.find(c, before));
  }

  /** The run with this id, if the history has it. */
  public Optional<Run> run(String runId) {
    return database.transaction("read run " + runId, c -> read(c, runId));
  }

  /** The run with this id, read in the caller's transaction (also by {@link JobLocks}). */
  static Optional<Run> read(Connection c, String runId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + Rows.RUN_COLUMNS + " FROM runs WHERE run_id = ?")) {
      return Rows.first(bind(select, runId), Rows::run);
    }
  }

  /** The run that has just ended, read in the caller's transaction after counting its end. */
  static Run counted(Connection c, String runId) throws SQLException {
    Run ended = read(c, runId).orElseThrow();
    RunTotals.count(c, ended);
    return ended;
  }

  /** The run's attempts, first first. */
  public List<Attempt> attempts(String runId) {
    return database.transaction(
        "read the attempts of run " + runId,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + Rows.ATTEMPT_COLUMNS
                      + " FROM attempts WHERE run_id = ? ORDER BY attempt")) {
            return Rows.all(bind(select, runId), Rows::attempt);
          }
        });
  }

  /**
   * Per job (of {@code job}, or every job), the runs queued since {@code since}: counts, success
   * rate, median and 95th percentile duration, rows and bytes per published run. Jobs in name
   * order.
   */
  public List<JobStats> stats(Optional<String> job, Instant since) {
    List<Run> runs =
        database.transaction(
            "read run statistics",
            c -> {
              String sql =
                  "SELECT "
                      + Rows.RUN_COLUMNS
                      + " FROM runs WHERE queued_at >= ?"
                      + (job.isPresent() ? " AND job = ?" : "")
                      + " ORDER BY job, queued_at";
              try (PreparedStatement select = c.prepareStatement(sql)) {
                return Rows.all(
                    job.isPresent() ? bind(select, since, job.get()) : bind(select, since),
                    Rows::run);
              }
            });
    Map<String, List<Run>> byJob = new LinkedHashMap<>();
    runs.forEach(run -> byJob.computeIfAbsent(run.job(), j -> new ArrayList<>()).add(run));
    return byJob.entrySet().stream().map(e -> JobStats.of(e.getKey(), e.getValue())).toList();
  }

  /** Runs an update that must change the run; when it does not, says what state the run is in. */
  private static void requireUpdated(
      Connection c, String action, String runId, String expected, String sql, Object... values)
      throws SQLException {
    try (PreparedStatement update = c.prepareStatement(sql)) {
      if (bind(update, values).executeUpdate() == 1) {
        return;
      }
    }
    String state =
        read(c, runId)
            .map(run -> "it is " + run.status().text() + ", not " + expected)
            .orElse("no such run in the history");
    throw HistoryException.cannot(action + " run " + runId, state, null);
  }

  private Instant now() {
    return Rows.stored(clock.instant());
  }
}
