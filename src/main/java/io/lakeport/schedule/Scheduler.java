package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.JobLoader;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.Window;
import io.lakeport.history.Alert;
import io.lakeport.history.CancelRequest;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.JobLocks;
import io.lakeport.history.Lock;
import io.lakeport.history.Pruned;
import io.lakeport.history.QueuedRun;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunLog;
import io.lakeport.history.RunLogFiles;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.schedule.launch.LaunchOutcome;
import io.lakeport.schedule.launch.LaunchRequest;
import io.lakeport.schedule.launch.Launcher;
import io.lakeport.schedule.launch.Launcher.Launch;
import io.lakeport.schedule.launch.RunKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler loop, one {@link #tick()} at a time: queues the due slots of every enabled job
 * (once each: the history store refuses a second run for a job and slot), skips missed slots as the
 * job's misfire policy says and queued runs whose execution window closed, starts queued runs
 * oldest slot first while fewer than the maximum run and the job's lock is free (one active run per
 * job), and records each launch's outcome, queueing a retryable failure again after its backoff
 * ({@code not_before} in the history). All state that must outlive the process is in the history
 * store; a tick is deterministic for a given clock time and set of finished launches.
 */
public final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  /** How often the scheduler prunes the history when it keeps runs for a limited time. */
  static final Duration PRUNE_EVERY = Duration.ofDays(1);

  private final Map<String, ScheduledJob> jobs = new LinkedHashMap<>();

  /** Jobs without a schedule, by name: their manual runs are started, and never retried. */
  private final Map<String, Path> manual = new LinkedHashMap<>();

  private final HistoryStore store;
  private final RunLog runs;
  private final JobLocks locks;
  private final Launcher launcher;
  private final Clock clock;
  private final SchedulerOptions settings;
  private final ScheduleState state;
  private final Instant firstStart;
  private final Map<String, Active> active = new LinkedHashMap<>();

  /**
   * The cancel requests (lakeport cancel) this scheduler is honouring, by run: their reason goes on
   * record.
   */
  private final Map<String, CancelRequest> requested = new LinkedHashMap<>();

  /** Whether each job was switched on at the last pass, to log a change (a runtime switch) once. */
  private final Map<String, ScheduleSpec.Status> statuses = new LinkedHashMap<>();

  /** The queued runs known to wait for their upstream jobs (logged once each). */
  private final Set<String> waiting = new HashSet<>();

  private RunListener listener = RunListener.NONE;

  /** The jobs' alerts, checked at each pass; empty when no job has one on. */
  private Optional<AlertWatch> alerts = Optional.empty();

  /** How long ended runs are kept in the history; empty: forever. */
  private Optional<Duration> keep = Optional.empty();

  /** The site's logs folder, whose files of pruned runs go with them. */
  private Optional<Path> logs = Optional.empty();

  /** When this scheduler last pruned the history. */
  private Optional<Instant> pruned = Optional.empty();

  private boolean stopped;

  /** A run this scheduler launched and has not yet recorded the end of. */
  private record Active(String runId, Target job, Launch launch) {}

  /**
   * What a run is launched from: a scheduled job (with its timeout and retry policy), or a job
   * without a schedule whose run was queued by hand (default timeout, no retry).
   */
  private record Target(String job, Path file, RunKind kind, Optional<ScheduledJob> scheduled) {
    static Target of(ScheduledJob job) {
      return new Target(job.job(), job.file(), job.kind(), Optional.of(job));
    }
  }

  /**
   * A scheduler of {@code jobs} from now on: a job with no run in the history has its slots queued
   * from {@code missedAfter} before now (a slot due just before the first start still runs), not
   * from the start of time; one with runs, from its last slot (missed slots then go through its
   * misfire policy).
   */
  public Scheduler(
      List<ScheduledJob> jobs,
      HistoryStore store,
      Launcher launcher,
      Clock clock,
      SchedulerOptions settings) {
    jobs.forEach(job -> this.jobs.put(job.job(), job));
    this.store = requireNonNull(store, "store is null");
    this.runs = store.runLog();
    this.locks = store.locks();
    this.launcher = requireNonNull(launcher, "launcher is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.state = ScheduleState.of(store);
    this.firstStart = clock.instant().minus(settings.missedAfter());
  }

  /**
   * For a scheduler restarted under the same owner: marks the runs its earlier process lost (killed
   * while they ran) interrupted, frees their locks, and queues each again when its job's retry
   * policy allows. Returns the lost runs as they are now.
   */
  public synchronized List<Run> recoverLost() {
    Instant now = clock.instant();
    List<Run> lost = locks.interruptLost(settings.owner());
    for (Run run : lost) {
      LOG.warn(
          "Run {} of job {} was lost when the scheduler {} stopped; it is interrupted",
          run.id(),
          run.job(),
          settings.owner());
      // the process running it went away: nothing in the job says it will fail again
      Optional.ofNullable(jobs.get(run.job()))
          .ifPresent(job -> retryIfAllowed(job, run.id(), Failure.EXTERNAL, now));
    }
    return lost.stream().map(run -> runs.run(run.id()).orElseThrow()).toList();
  }

  /**
   * Also starts the runs queued by hand ({@code lakeport run-now}, the API's run now) of these jobs
   * without a schedule, by name and job file: with the default timeout, one at a time per job, and
   * no retry, as a {@code lakeport run} by hand is not retried.
   */
  public synchronized void startManualRunsOf(Map<String, Path> jobs) {
    manual.putAll(jobs);
  }

  /**
   * Keeps ended runs for {@code keep} ({@code lakeport.history.keep}): at its first pass and once a
   * day after, the scheduler deletes the runs that ended longer ago (see {@link
   * io.lakeport.history.RunLog#prune}) and their log files under {@code logs}.
   */
  public synchronized void keepHistory(Duration keep, Path logs) {
    this.keep = Optional.of(requireNonNull(keep, "keep is null"));
    this.logs = Optional.of(requireNonNull(logs, "logs is null"));
  }

  /**
   * Checks these jobs' {@code alerts} at each pass from now on, telling the listener of each alert
   * opened ({@link AlertWatch}).
   */
  public synchronized void watch(List<AlertWatch.Watched> jobs) {
    AlertWatch watch = new AlertWatch(jobs, store);
    this.alerts = watch.watching() ? Optional.of(watch) : Optional.empty();
  }

  /** Tells {@code listener} how runs end from now on (for notifications). */
  public synchronized void listen(RunListener listener) {
    this.listener = requireNonNull(listener, "listener is null");
  }

  /**
   * One pass: cancel runs someone asked to cancel, record ended launches, renew locks, queue due
   * slots, skip late runs, start runs, check the jobs' alerts.
   */
  public synchronized void tick() {
    Instant now = clock.instant();
    honourCancelRequests();
    recordEnded(now);
    active.values().forEach(this::heartbeat);
    if (stopped) {
      return;
    }
    jobs.values().forEach(job -> queueSlots(job, now));
    startDue(skipLate(runs.queued(), now), now);
    pruneWhenDue(now);
    checkAlerts(now);
  }

  /** Opens the alerts the jobs' alerts blocks find now; a failing check waits for the next pass. */
  private void checkAlerts(Instant now) {
    if (alerts.isEmpty()) {
      return;
    }
    try {
      for (Alert alert : alerts.get().check(now, this::expected)) {
        LOG.warn("Alert {} on job {}: {}", alert.kind().text(), alert.job(), alert.detail());
        tell(l -> l.alerted(alert));
      }
    } catch (HistoryException e) {
      LOG.warn("Cannot check the jobs' alerts; trying again at the next pass: {}", e.getMessage());
    }
  }

  /**
   * Whether the job's slot was meant to run: its schedule is on, and the slot is one this scheduler
   * queues (not before it first started) or one the history has a run for.
   */
  private boolean expected(String job, Instant slot) {
    ScheduledJob scheduled = jobs.get(job);
    if (scheduled == null || state.status(scheduled.schedule()) == ScheduleSpec.Status.DISABLED) {
      return false;
    }
    return !slot.isBefore(firstStart) || runs.run(runId(job, slot)).isPresent();
  }

  /** Prunes the history at the first pass and then once every {@link #PRUNE_EVERY}. */
  private void pruneWhenDue(Instant now) {
    if (keep.isEmpty() || pruned.isPresent() && now.isBefore(pruned.get().plus(PRUNE_EVERY))) {
      return;
    }
    pruned = Optional.of(now);
    try {
      Pruned gone = runs.prune(now.minus(keep.get()));
      long logFiles = logs.map(root -> RunLogFiles.delete(root, gone.logFiles())).orElse(0L);
      if (gone.runs() > 0) {
        LOG.info(
            "Pruned the history (lakeport.history.keep = {}): deleted {} runs that ended before {},"
                + " with {} attempts, {} notification deliveries and {} log files",
            keep.get(),
            gone.runs(),
            gone.before(),
            gone.attempts(),
            gone.notifications(),
            logFiles);
      }
    } catch (HistoryException e) {
      // the runs stay until the next try; scheduling goes on
      LOG.warn("{}; trying again in {}", e.getMessage(), PRUNE_EVERY);
    }
  }

  /**
   * Waits for every run this scheduler started to end, then records them and checks the jobs'
   * alerts against how they ended (for {@code --once}, whose one pass came before the runs).
   */
  public void awaitRuns() {
    List<CompletableFuture<LaunchOutcome>> outcomes;
    synchronized (this) {
      outcomes = active.values().stream().map(a -> a.launch().outcome()).toList();
    }
    CompletableFuture.allOf(
            outcomes.stream().map(o -> o.handle((x, e) -> x)).toArray(CompletableFuture[]::new))
        .join();
    synchronized (this) {
      Instant now = clock.instant();
      recordEnded(now);
      checkAlerts(now);
    }
  }

  /**
   * Stops for good: no run starts after this; running ones are cancelled and, when they end within
   * {@code wait}, recorded cancelled. Runs that do not end in time keep their lock until a restart
   * of this owner interrupts them ({@link #recoverLost()}).
   */
  public void stop(Duration wait) {
    List<CompletableFuture<LaunchOutcome>> outcomes;
    synchronized (this) {
      stopped = true;
      active.values().forEach(a -> a.launch().cancel());
      outcomes = active.values().stream().map(a -> a.launch().outcome()).toList();
    }
    try {
      CompletableFuture.allOf(
              outcomes.stream().map(o -> o.handle((x, e) -> x)).toArray(CompletableFuture[]::new))
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn(
          "{} run(s) did not end within {} of being cancelled; a restart will interrupt them",
          outcomes.size(),
          wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a handled outcome cannot fail", e);
    }
    synchronized (this) {
      recordEnded(clock.instant());
    }
  }

  /**
   * Cancels a run of the history: a queued run at once (it never starts), a running run this
   * scheduler launched by stopping its launch, which the next pass records as cancelled. A run in
   * any other state, or running in another process, is refused with a {@code HistoryException} that
   * says what state it is in. Another process asks through the history instead ({@code
   * RunLog.requestCancel}), and the scheduler running the run comes here at its next pass.
   */
  public synchronized Cancellation cancel(String runId) {
    Active run = active.get(runId);
    if (run != null) {
      LOG.info("Cancelling run {} of job {} on request", runId, run.job().job());
      run.launch().cancel();
      return Cancellation.STOPPING;
    }
    runs.cancel(runId);
    return Cancellation.CANCELLED;
  }

  /** What {@link #cancel} did: the run is cancelled, or its launch is being stopped. */
  public enum Cancellation {
    CANCELLED,
    STOPPING
  }

  /**
   * Cancels the runs of this scheduler that another process asked to cancel through the history
   * ({@code lakeport cancel}), each once; the pass that finds its launch ended records it cancelled
   * with who asked.
   */
  private void honourCancelRequests() {
    if (active.isEmpty()) {
      return;
    }
    for (CancelRequest request : runs.cancelRequests()) {
      if (active.containsKey(request.runId()) && !requested.containsKey(request.runId())) {
        requested.put(request.runId(), request);
        LOG.info(
            "Run {}: {} asked at {} to cancel it",
            request.runId(),
            request.requestedBy(),
            request.requestedAt());
        cancel(request.runId());
      }
    }
  }

  /** The ids of the runs this scheduler launched that have not ended, oldest launch first. */
  public synchronized List<String> running() {
    return List.copyOf(active.keySet());
  }

  /**
   * The id of the run of {@code job} for {@code slot}: the same on every scheduler and restart, in
   * the form of every run id (the slot's time to the millisecond, so manifests sort by slot), with
   * 10 hex digits of the job and slot's SHA-256, so jobs sharing a slot do not collide.
   */
  static String runId(String job, Instant slot) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((job + "\n" + slot).getBytes(StandardCharsets.UTF_8));
      return RUN_ID_TIME.format(slot) + "-" + HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Queues the job's slots since its last one (or since this scheduler started); slots older than
   * {@code missedAfter} were missed, and those the misfire policy does not select are skipped.
   */
  private void queueSlots(ScheduledJob job, Instant now) {
    if (status(job) == ScheduleSpec.Status.DISABLED) {
      return;
    }
    Instant from = store.schedules().lastSlot(job.job()).orElse(firstStart);
    List<Slot> slots = job.schedule().slotsBetween(from, now);
    Instant missedBefore = now.minus(settings.missedAfter());
    List<Slot> missed =
        slots.stream().filter(slot -> slot.instant().isBefore(missedBefore)).toList();
    ScheduleSpec.Misfire misfire = job.schedule().spec().misfire();
    List<Slot> selected = misfire.select(missed);
    for (Slot slot : slots) {
      Optional<Run> queued =
          runs.enqueue(
              RunRequest.scheduled(
                  runId(job.job(), slot.instant()),
                  job.job(),
                  slot.instant(),
                  Map.of(JobLoader.RUN_DATE, slot.runDate().toString())));
      if (queued.isPresent() && missed.contains(slot) && !selected.contains(slot)) {
        tell(
            l ->
                l.skipped(
                    runs.skip(
                        queued.get().id(),
                        "missed: the scheduler was not running at "
                            + slot.dueTime()
                            + ", and the job's schedule.misfire is "
                            + misfire.name().toLowerCase(Locale.ROOT))));
      }
    }
  }

  /**
   * Whether the job's schedule is on now (its job file, or a runtime switch); a change is logged.
   */
  private ScheduleSpec.Status status(ScheduledJob job) {
    ScheduleSpec.Status status = state.status(job.schedule());
    ScheduleSpec.Status before = statuses.put(job.job(), status);
    if (status != before && (before != null || status == ScheduleSpec.Status.DISABLED)) {
      if (status == ScheduleSpec.Status.DISABLED) {
        LOG.info(
            "Schedule of job {} is off: its slots are not queued (lakeport schedule enable {} switches it on)",
            job.job(),
            job.job());
      } else {
        LOG.info("Schedule of job {} is on again: its slots are queued", job.job());
      }
    }
    return status;
  }

  /**
   * Skips queued runs that can no longer start inside their slot's execution window; returns the
   * rest.
   */
  private List<QueuedRun> skipLate(List<QueuedRun> queued, Instant now) {
    return queued.stream()
        .filter(
            q -> {
              ScheduledJob job = jobs.get(q.run().job());
              Optional<Slot> slot =
                  job == null
                      ? Optional.empty()
                      : q.run().slot().flatMap(time -> slotAt(job, time));
              if (slot.isEmpty()
                  || now.isBefore(slot.get().instant())
                  || job.schedule().canStart(slot.get(), now)) {
                return true;
              }
              Run skipped =
                  runs.skip(
                      q.run().id(),
                      "Cannot start run "
                          + q.run().id()
                          + " of job "
                          + job.job()
                          + " for "
                          + slot.get().dueTime()
                          + ": its execution window ("
                          + job.schedule().describe()
                          + ") closed before it"
                          + " could start");
              tell(l -> l.skipped(skipped));
              return false;
            })
        .toList();
  }

  private static Optional<Slot> slotAt(ScheduledJob job, Instant time) {
    return job.schedule().slotsBetween(time.minusSeconds(1), time).stream()
        .filter(slot -> slot.instant().equals(time))
        .findFirst();
  }

  /** Starts due runs, oldest slot first, while there is room and their job's lock is free. */
  private void startDue(List<QueuedRun> queued, Instant now) {
    for (QueuedRun q : queued) {
      if (active.size() >= settings.maxConcurrentRuns()) {
        return;
      }
      Run run = q.run();
      Optional<Target> target = target(run);
      boolean jobActive = active.values().stream().anyMatch(a -> a.job().job().equals(run.job()));
      if (target.isPresent() && q.due(now) && !jobActive && upstreamsPublished(run, now)) {
        Optional<Lock> before = locks.holder(run.job());
        if (locks.lock(run.job(), run.id(), settings.owner()).isPresent()) {
          target
              .get()
              .scheduled()
              .ifPresent(
                  job -> before.ifPresent(stale -> retryTakenOver(job, stale, run.id(), now)));
          launch(target.get(), run, now);
        }
      }
    }
  }

  /**
   * Whether a scheduled run's upstream jobs ({@code schedule.after}) have each published its window
   * (a successful run for it, or for each of its days, weeks or months when the upstream's window
   * is shorter); runs by hand do not wait. A run still waiting when its upstream timeout passes is
   * skipped with the reason, and the listeners are told (upstream-late).
   */
  private boolean upstreamsPublished(Run run, Instant now) {
    ScheduledJob job = jobs.get(run.job());
    String runDate = run.params().get(JobLoader.RUN_DATE);
    if (job == null
        || job.kind() != RunKind.EXPORT
        || run.slot().isEmpty()
        || runDate == null
        || job.schedule().spec().after().isEmpty()) {
      return true;
    }
    LocalDate date = LocalDate.parse(runDate);
    Window window = job.schedule().window();
    List<String> late = new ArrayList<>();
    for (String upstream : job.schedule().spec().after()) {
      Window theirs =
          Optional.ofNullable(jobs.get(upstream)).map(j -> j.schedule().window()).orElse(window);
      if (!published(upstream, theirs, window.start(date), window.end(date))) {
        late.add(upstream);
      }
    }
    if (late.isEmpty()) {
      waiting.remove(run.id());
      return true;
    }
    Instant deadline = run.slot().get().plus(job.schedule().spec().upstreamTimeout());
    String which =
        (late.size() == 1 ? "upstream job " : "upstream jobs ")
            + String.join(", ", late)
            + (late.size() == 1 ? " has" : " have")
            + " not published run_date "
            + runDate;
    if (now.isBefore(deadline)) {
      if (waiting.add(run.id())) {
        LOG.info("Run {} of job {} waits: {} (until {})", run.id(), run.job(), which, deadline);
      }
      return false;
    }
    waiting.remove(run.id());
    Run skipped =
        runs.skip(
            run.id(),
            which
                + " within "
                + AlertWatch.text(job.schedule().spec().upstreamTimeout())
                + " of the slot (schedule.upstream-timeout), so run "
                + run.id()
                + " did not start");
    LOG.warn("Run {} of job {} skipped: {}", run.id(), run.job(), skipped.error().orElse(""));
    tell(l -> l.upstreamLate(skipped));
    return false;
  }

  /**
   * Whether {@code job} has a successful run for every window of its own ({@code window}) from
   * {@code start} up to {@code end} (exclusive).
   */
  private boolean published(String job, Window window, LocalDate start, LocalDate end) {
    Set<LocalDate> done = new HashSet<>();
    for (Run run :
        runs.runs(new RunFilter(Optional.of(job), Optional.of(RunStatus.SUCCEEDED), 500))) {
      Optional.ofNullable(run.params().get(JobLoader.RUN_DATE))
          .map(LocalDate::parse)
          .ifPresent(date -> done.add(window.start(date)));
    }
    for (LocalDate day = window.start(start); day.isBefore(end); day = window.end(day)) {
      if (!done.contains(day)) {
        return false;
      }
    }
    return true;
  }

  /** What the run is launched from: its scheduled job, or a job without a schedule run by hand. */
  private Optional<Target> target(Run run) {
    ScheduledJob job = jobs.get(run.job());
    if (job != null) {
      return Optional.of(Target.of(job));
    }
    Path file = manual.get(run.job());
    // queued by hand: a run now, or a backfill's runs (the API queues one per window)
    boolean byHand = run.trigger() == Trigger.MANUAL || run.trigger() == Trigger.BACKFILL;
    return file == null || !byHand
        ? Optional.empty()
        : Optional.of(new Target(run.job(), file, RunKind.EXPORT, Optional.empty()));
  }

  /**
   * When taking the job's lock took it over from a run whose scheduler stopped heartbeating (the
   * store marked that run interrupted), the retry policy decides on that run as on a lost one.
   */
  private void retryTakenOver(ScheduledJob job, Lock stale, String runId, Instant now) {
    boolean interrupted =
        !stale.runId().equals(runId)
            && runs.run(stale.runId()).map(r -> r.status() == RunStatus.INTERRUPTED).orElse(false);
    if (interrupted) {
      LOG.warn(
          "Run {} of job {} was interrupted: its lock went stale (owner {}) and was taken over",
          stale.runId(),
          job.job(),
          stale.owner());
      // the process running it went away: nothing in the job says it will fail again
      retryIfAllowed(job, stale.runId(), Failure.EXTERNAL, now);
    }
  }

  private void launch(Target job, Run run, Instant now) {
    int attempt = runs.start(run.id(), settings.worker()).number();
    Duration timeout =
        job.scheduled()
            .flatMap(scheduled -> scheduled.schedule().spec().timeout())
            .orElse(settings.defaultTimeout());
    LOG.info(
        "Starting run {} of job {} (attempt {}, slot {})",
        run.id(),
        run.job(),
        attempt,
        run.slot().map(Instant::toString).orElse("none"));
    try {
      Launch launch =
          launcher.start(
              new LaunchRequest(
                  run.job(), job.file(), run.params(), run.id(), timeout, job.kind()));
      active.put(run.id(), new Active(run.id(), job, launch));
    } catch (IOException e) {
      record(
          job,
          run.id(),
          new LaunchOutcome(
              LaunchOutcome.State.FAILED,
              Optional.of(3),
              "Cannot launch run " + run.id() + " of job " + run.job() + ": " + e.getMessage()),
          now);
    }
  }

  private void heartbeat(Active run) {
    if (!locks.heartbeat(run.job().job(), run.runId())) {
      LOG.warn(
          "Run {} of job {} lost its lock (another scheduler took it over as stale)",
          run.runId(),
          run.job().job());
    }
  }

  /** Records the launches that ended since the last pass. */
  private void recordEnded(Instant now) {
    for (Iterator<Active> it = active.values().iterator(); it.hasNext(); ) {
      Active run = it.next();
      if (run.launch().outcome().isDone()) {
        it.remove();
        record(run.job(), run.runId(), outcome(run), now);
      }
    }
  }

  private static LaunchOutcome outcome(Active run) {
    try {
      return run.launch().outcome().join();
    } catch (CompletionException | CancellationException e) {
      return new LaunchOutcome(
          LaunchOutcome.State.LOST, Optional.empty(), "the launch ended without an outcome: " + e);
    }
  }

  /**
   * Ends the run in the history as the launch did, frees its job, and queues a retry if allowed.
   */
  private void record(Target job, String runId, LaunchOutcome outcome, Instant now) {
    int exitCode = outcome.exitCode().orElse(1);
    Optional<CancelRequest> request = Optional.ofNullable(requested.remove(runId));
    runs.finish(
        runId,
        switch (outcome.state()) {
          case SUCCEEDED ->
              outcome
                  .written()
                  .map(
                      w ->
                          w.published()
                              ? RunOutcome.succeeded(w.rows(), w.bytes(), w.files(), w.manifest())
                              : RunOutcome.skipped())
                  .orElseGet(
                      () ->
                          new RunOutcome(
                              RunStatus.SUCCEEDED,
                              0,
                              Optional.empty(),
                              Optional.empty(),
                              Optional.empty(),
                              Optional.empty(),
                              Optional.empty()));
          case FAILED -> RunOutcome.failed(exitCode, outcome.summary());
          case TIMED_OUT -> RunOutcome.failed(exitCode, "timed out: " + outcome.summary());
          case CANCELLED ->
              ended(
                  RunStatus.CANCELLED,
                  exitCode,
                  request
                      .map(Scheduler::requestedReason)
                      .orElse(
                          stopped
                              ? "the scheduler was stopped while the run went on ("
                                  + outcome.summary()
                                  + ")"
                              : outcome.summary()));
          case LOST -> ended(RunStatus.INTERRUPTED, exitCode, outcome.summary());
        });
    locks.unlock(job.job(), runId);
    LOG.info(
        "Run {} of job {} ended {} (exit {}) {}",
        runId,
        job.job(),
        outcome.state(),
        exitCode,
        outcome.summary());
    // a run someone asked to cancel that failed before the cancel took hold is not tried again
    boolean retried =
        request.isEmpty()
            && failure(outcome, exitCode)
                .flatMap(
                    failure ->
                        job.scheduled()
                            .map(scheduled -> retryIfAllowed(scheduled, runId, failure, now)))
                .orElse(false);
    runs.run(runId)
        .ifPresent(
            run ->
                tell(
                    l ->
                        l.ended(run, retried ? RunListener.Retry.QUEUED : RunListener.Retry.NONE)));
  }

  /** Tells the listener; one that fails is logged, never stops the pass. */
  private void tell(Consumer<RunListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("The run listener failed: {}", e.toString());
    }
  }

  private static String requestedReason(CancelRequest request) {
    return "cancelled on request of " + request.requestedBy() + " at " + request.requestedAt();
  }

  private static RunOutcome ended(RunStatus status, int exitCode, String error) {
    return new RunOutcome(
        status,
        exitCode,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(error));
  }

  /**
   * How the run failed, for the retry policy; empty when it did not fail (or was cancelled on
   * purpose).
   */
  private static Optional<Failure> failure(LaunchOutcome outcome, int exitCode) {
    return switch (outcome.state()) {
      case SUCCEEDED, CANCELLED -> Optional.empty();
      case FAILED -> Optional.of(exitCode == 0 ? Failure.BUG : Failure.ofExitCode(exitCode));
      case TIMED_OUT -> Optional.of(Failure.TIMEOUT);
      // the process running it went away: nothing in the job says it will fail again
      case LOST -> Optional.of(Failure.EXTERNAL);
    };
  }

  /**
   * Queues the run again, not before its backoff ends, when its job's retry policy allows another
   * attempt.
   */
  private boolean retryIfAllowed(ScheduledJob job, String runId, Failure failure, Instant now) {
    RetryPolicy policy = job.schedule().retry();
    int attempt = runs.attempts(runId).size();
    if (policy.allowsRetry(attempt, failure)) {
      Instant due = now.plus(policy.delay(attempt, settings.random()));
      runs.requeue(runId, due);
      LOG.info(
          "Run {} of job {} will be retried at {} (attempt {} of {})",
          runId,
          job.job(),
          due,
          attempt + 1,
          policy.attempts());
      return true;
    }
    return false;
  }
}
