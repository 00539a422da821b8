package io.lakeport.cli;

import io.lakeport.config.AcceleratorSettings.Accelerator;
import io.lakeport.config.ApiSettings;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.NotificationSpec;
import io.lakeport.config.SchedulerSettings;
import io.lakeport.config.Site;
import io.lakeport.failure.ExitCode;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.Worker;
import io.lakeport.notify.DeliveryLog;
import io.lakeport.notify.ExportStorage;
import io.lakeport.notify.Notifier;
import io.lakeport.notify.SchedulerNotifications;
import io.lakeport.run.Acceleration;
import io.lakeport.schedule.AlertWatch;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.Scheduler;
import io.lakeport.schedule.SchedulerOptions;
import io.lakeport.schedule.launch.InProcessLauncher;
import io.lakeport.schedule.launch.Launcher;
import io.lakeport.schedule.launch.RunKind;
import io.lakeport.schedule.launch.SparkSubmitLauncher;
import io.lakeport.schedule.launch.SubmitCommand;
import io.lakeport.schedule.launch.SubmitSettings;
import io.lakeport.server.ApiException;
import io.lakeport.server.ApiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport scheduler start [--once] [JOB...]}: runs the schedules of the jobs (jobs/ when
 * none are named) in this JVM, recording every run in the run history. It first interrupts the runs
 * an earlier scheduler on this host lost (killed while they ran) and queues them again as their
 * retry policy allows. With {@code --once} it makes one pass, waits for the runs it started and
 * exits; otherwise it makes a pass every {@code lakeport.scheduler.tick} until it is stopped
 * (SIGTERM, Ctrl-C), when it starts nothing more, cancels its running runs, records them, and exits
 * with 0. While it runs (not with {@code --once}) it serves the status API, metrics and web page
 * ({@code lakeport.api}).
 */
@Command(
    name = "start",
    description =
        "Run the jobs' schedules (in the foreground) until stopped, or one pass with --once.")
final class SchedulerStartCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerStartCommand.class);

  @ParentCommand SchedulerCommand scheduler;
  @Spec CommandSpec spec;
  @Mixin JobArguments jobs;
  @Mixin AcceleratorOption accelerator;

  @Option(
      names = "--once",
      description = "Make one pass: start the runs due now, wait for them to end, then exit.")
  boolean once;

  @Override
  public Integer call() throws InterruptedException {
    Lakeport lakeport = scheduler.lakeport;
    Site site = accelerator.apply(lakeport.site());
    PrintWriter out = spec.commandLine().getOut();
    Map<String, NotificationSpec> subscriptions = new LinkedHashMap<>();
    Map<String, Path> manual = new LinkedHashMap<>();
    List<AlertWatch.Watched> alerts = new ArrayList<>();
    Optional<List<ScheduledJob>> scheduled =
        load(lakeport.loader(), spec.commandLine().getErr(), subscriptions, manual, alerts);
    if (scheduled.isEmpty()) {
      return ExitCode.USER.code();
    }
    SchedulerSettings settings = site.scheduler();
    Clock clock = lakeport.clock();
    Worker worker = Worker.current();
    ExecutorService pool = Executors.newFixedThreadPool(settings.maxConcurrentRuns());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (HistoryStore store = HistoryStore.open(site.history(), clock)) {
      Scheduler loop =
          new Scheduler(
              scheduled.get(),
              store,
              launcher(site, pool, timer, lakeport),
              clock,
              new SchedulerOptions(
                  settings.maxConcurrentRuns(),
                  "scheduler@" + worker.host(),
                  worker,
                  new SplittableRandom(),
                  settings.missedAfter(),
                  settings.defaultTimeout()));
      loop.startManualRunsOf(manual);
      loop.watch(alerts);
      site.history().keep().ifPresent(keep -> loop.keepHistory(keep, site.logs()));
      Optional<Notifier> notifier = notifier(site, store, clock);
      notifier.ifPresent(
          n ->
              loop.listen(
                  new SchedulerNotifications(
                      n, subscriptions, new ExportStorage(site.sparkSettings()), store, clock)));
      try {
        run(loop, store, out, site, scheduled.get(), manual);
      } finally {
        notifier.ifPresent(
            n -> {
              n.awaitDeliveries(site.notifications().delivery().waitOnExit());
              n.close();
            });
      }
      return 0;
    } finally {
      pool.shutdownNow();
      timer.shutdownNow();
    }
  }

  /**
   * Notifications of the site's channels, recorded in the scheduler's history; none without
   * channels.
   */
  private static Optional<Notifier> notifier(Site site, HistoryStore store, Clock clock) {
    return site.notifications().channels().isEmpty()
        ? Optional.empty()
        : Optional.of(Notifier.start(site, DeliveryLog.of(store), clock));
  }

  /**
   * Recovers lost runs, then one pass (--once) or passes until stopped, serving the API meanwhile
   * for the scheduled jobs and those without a schedule ({@code manual}).
   */
  private void run(
      Scheduler loop,
      HistoryStore store,
      PrintWriter out,
      Site site,
      List<ScheduledJob> scheduled,
      Map<String, Path> manual)
      throws InterruptedException {
    SchedulerSettings settings = site.scheduler();
    int jobCount = scheduled.size();
    for (Run lost : loop.recoverLost()) {
      out.printf(
          "run %s of job %s was lost by the last scheduler: %s%n",
          lost.id(), lost.job(), lost.status().text());
    }
    out.printf("scheduler started: %d scheduled job(s)%n", jobCount);
    out.flush();
    if (once) {
      once(loop, store, out);
    } else {
      Optional<ApiServer> api =
          serve(site.api(), store, scheduled, manual, loop, scheduler.lakeport, out);
      try {
        untilStopped(loop, settings);
      } finally {
        api.ifPresent(ApiServer::close);
      }
    }
  }

  /** The status API, metrics and web page, when lakeport.api is enabled. */
  private static Optional<ApiServer> serve(
      ApiSettings settings,
      HistoryStore store,
      List<ScheduledJob> scheduled,
      Map<String, Path> manual,
      Scheduler loop,
      Lakeport lakeport,
      PrintWriter out) {
    if (settings.status() == ApiSettings.Status.DISABLED) {
      return Optional.empty();
    }
    try {
      ApiServer api =
          ApiServer.start(
              settings, store, scheduled, manual, loop, lakeport.loader(), lakeport.clock());
      out.printf("api: %s (status page; /api/jobs, /api/runs, /metrics, /health)%n", api.uri());
      out.flush();
      return Optional.of(api);
    } catch (ApiException e) {
      throw new Failures.UserException(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The launcher the site settings choose: this JVM, or spark-submit. */
  private Launcher launcher(
      Site site, ExecutorService pool, ScheduledExecutorService timer, Lakeport lakeport) {
    // -Dconfig.file is this JVM's: spark-submit drivers are handed the file it names
    Optional<Path> siteConf =
        Optional.ofNullable(lakeport.siteConf)
            .or(() -> Optional.ofNullable(System.getProperty(Site.CONFIG_FILE)).map(Path::of));
    SchedulerSettings settings = site.scheduler();
    return switch (settings.launcher()) {
      case IN_PROCESS ->
          new InProcessLauncher(
              pool, timer, new LaunchedRuns(siteConf, Clock.systemUTC(), accelerator::apply));
      case SPARK_SUBMIT -> {
        SchedulerSettings.SparkSubmit submit = settings.sparkSubmit();
        Path jar = submit.appJar().orElseGet(SchedulerStartCommand::ownJar);
        yield new SparkSubmitLauncher(
            new SubmitSettings(
                submit.sparkHome(),
                submit.master(),
                submit.deployMode(),
                submit.conf(),
                jar,
                siteConf.map(Path::toAbsolutePath),
                // the drivers log as this scheduler does (bin/lakeport: conf/log4j2.properties)
                Optional.ofNullable(System.getProperty(SubmitCommand.LOG_CONFIG_PROPERTY)),
                accelerator.accelerator.map(a -> a.name().toLowerCase(Locale.ROOT)),
                // kept out of the application jar: the drivers get the one this JVM loaded
                site.accelerator().accelerator() == Accelerator.COMET
                    ? Acceleration.jar().stream().toList()
                    : List.of()),
            submit.logs(),
            timer);
      }
    };
  }

  /** The jar this class was loaded from: the application jar, when Lakeport runs from one. */
  private static Path ownJar() {
    try {
      Path location =
          Path.of(
              SchedulerStartCommand.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      if (!location.toString().endsWith(".jar")) {
        throw new Failures.UserException(
            "lakeport.scheduler.launcher = spark-submit needs an application jar: Lakeport"
                + " runs from "
                + location
                + ". Set lakeport.scheduler.spark-submit.app-jar, or run bin/lakeport.");
      }
      return location;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot tell where Lakeport runs from", e);
    }
  }

  /** One pass, then waits for the runs it started and reports how each ended. */
  private static void once(Scheduler loop, HistoryStore store, PrintWriter out) {
    loop.tick();
    List<String> started = loop.running();
    loop.awaitRuns();
    for (String runId : started) {
      store
          .runLog()
          .run(runId)
          .ifPresent(
              run ->
                  out.printf(
                      "run %s of job %s: %s%s%n",
                      run.id(),
                      run.job(),
                      run.status().text(),
                      run.error().map(e -> " (" + e + ")").orElse("")));
    }
    out.flush();
  }

  /**
   * A pass every tick until SIGTERM or SIGINT (or, failing those, the JVM's shutdown); then stops
   * the runs and records them, before the history and the Spark session close.
   */
  private static void untilStopped(Scheduler loop, SchedulerSettings settings)
      throws InterruptedException {
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    StopSignals.onStop(stopRequested::countDown);
    Thread hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              try {
                // the JVM ends when the hook does: give the scheduler time to record its runs
                stopped.await(settings.tick().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "lakeport-scheduler-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try {
      ticker.scheduleWithFixedDelay(
          () -> tick(loop), 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
      stopRequested.await();
      LOG.info(
          "Scheduler stopping: no new runs; cancelling {} running run(s)", loop.running().size());
      ticker.shutdown();
      ticker.awaitTermination(settings.tick().toMillis(), TimeUnit.MILLISECONDS);
      loop.stop(settings.tick());
    } finally {
      ticker.shutdownNow();
      stopped.countDown();
    }
  }

  /**
   * One pass; a failing pass (the history unreachable, say) is logged and the next one tries again.
   */
  private static void tick(Scheduler loop) {
    try {
      loop.tick();
    } catch (RuntimeException e) {
      LOG.error("Scheduler pass failed; trying again at the next tick: {}", e.toString());
    }
  }

  /**
   * The scheduled jobs of the job files; empty (after printing each problem) when any is invalid.
   * Jobs without a schedule go to {@code manual}, by name: their runs queued by hand are started
   * too. Each job's alerts go to {@code alerts}.
   */
  private Optional<List<ScheduledJob>> load(
      JobLoader loader,
      PrintWriter err,
      Map<String, NotificationSpec> subscriptions,
      Map<String, Path> manual,
      List<AlertWatch.Watched> alerts) {
    JobCatalog catalog = JobCatalog.load(loader, jobs.files());
    if (!catalog.problems().isEmpty()) {
      catalog.problems().forEach(p -> err.println(p.message()));
      err.flush();
      return Optional.empty();
    }
    List<ScheduledJob> scheduled = new ArrayList<>();
    for (JobCatalog.Entry entry : catalog.entries()) {
      Path file = entry.file();
      JobSpec job = entry.job().orElseThrow();
      Schedule.of(job)
          .ifPresentOrElse(
              schedule -> scheduled.add(new ScheduledJob(schedule, file)),
              () -> manual.put(job.name(), file));
      Schedule.retention(job)
          .ifPresent(
              schedule -> scheduled.add(new ScheduledJob(schedule, file, RunKind.RETENTION)));
      subscriptions.put(job.name(), job.notifications());
      alerts.add(new AlertWatch.Watched(job.name(), job.alerts(), Schedule.of(job)));
    }
    return Optional.of(scheduled);
  }
}
