package io.lakeport.bench;

import io.lakeport.api.Lakeport;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import io.lakeport.retention.Retention;
import io.lakeport.retention.RetentionPlan;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.Slot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Case 6, the scheduler's and retention's own work: the next fire times of many schedules, and a
 * retention plan over an export root of many files.
 */
final class OperationsCase {
  private static final List<String> ZONES =
      List.of("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC");
  private static final List<String> TIMINGS =
      List.of(
          "every = hourly, minute = 15",
          "every = daily, run-time = \"02:30\"",
          "every = weekly, day-of-week = monday, run-time = \"06:00\"",
          "every = monthly, day-of-month = last, run-time = \"23:00\"",
          "cron = \"*/10 * * * *\"",
          "cron = \"0 30 2 ? * MON-FRI\"");
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final Bench.Options options;
  private final Lakeport lakeport;
  private final SparkSession spark;
  private final Path folder;

  OperationsCase(Bench.Options options, Lakeport lakeport, SparkSession spark) {
    this.options = options;
    this.lakeport = lakeport;
    this.spark = spark;
    this.folder = options.work().resolve("operations");
  }

  String run() throws IOException {
    int count = options.scale().schedules();
    List<JobSpec> specs = scheduledJobs(count);
    Instant now = Instant.now();
    List<Double> build = new ArrayList<>();
    List<Double> next = new ArrayList<>();
    List<Double> nextThree = new ArrayList<>();
    List<Double> day = new ArrayList<>();
    long[] slots = new long[1];
    for (int rep = 0; rep < options.reps(); rep++) {
      List<Schedule> schedules = new ArrayList<>();
      build.add(
          BenchCases.timeRun(
              () -> specs.forEach(spec -> schedules.add(Schedule.of(spec).orElseThrow()))));
      next.add(
          BenchCases.timeRun(
              () -> schedules.forEach(s -> BenchCases.consume(s.nextAfter(now).orElseThrow()))));
      nextThree.add(BenchCases.timeRun(() -> schedules.forEach(s -> nextThree(s, now))));
      day.add(
          BenchCases.time(
              () ->
                  slots[0] =
                      schedules.stream()
                          .mapToLong(s -> s.slotsBetween(now, now.plus(Duration.ofDays(1))).size())
                          .sum()));
    }
    Path root = exportRoot();
    JobSpec retained = retentionJob(root);
    Retention retention =
        new Retention(spark.sparkContext().hadoopConfiguration(), Clock.systemUTC(), () -> spark);
    List<Double> planning = new ArrayList<>();
    RetentionPlan[] plan = new RetentionPlan[1];
    for (int rep = 0; rep < options.reps(); rep++) {
      planning.add(BenchCases.time(() -> plan[0] = plan(retention, retained)));
    }
    int exports = options.scale().retentionExports();
    int files = options.scale().filesPerExport();
    long expectedFreed = (long) (exports - keepLast()) * files;
    if (plan[0].removed().size() != exports - keepLast() || plan[0].filesFreed() != expectedFreed) {
      throw new IllegalStateException(
          "retention plan removes "
              + plan[0].removed().size()
              + " exports and "
              + plan[0].filesFreed()
              + " files; expected "
              + (exports - keepLast())
              + " and "
              + expectedFreed);
    }
    String table =
        BenchCases.header("Work", "Time (ms)", "Per item (µs)")
            + line(
                "Build " + count + " schedules from their job specs (cron-utils parse)",
                build,
                count)
            + line("Next fire time of each of " + count + " schedules", next, count)
            + line("Next three fire times of each (as `schedule list`)", nextThree, count)
            + line(
                "Every slot of the next 24 hours of each ("
                    + String.format(Locale.ROOT, "%,d", slots[0])
                    + " slots)",
                day,
                count)
            + line(
                "Retention plan over "
                    + String.format(Locale.ROOT, "%,d", (long) exports * files)
                    + " files in "
                    + exports
                    + " exports (keep last "
                    + keepLast()
                    + ")",
                planning,
                (long) exports * files);
    return BenchCases.section(
        "6. Scheduler and retention",
        "In one JVM, no Spark involved. Schedules mix hourly, daily, weekly, last-day-of-month and cron\n"
            + "timings over five zones (three with DST). The retention root is written once: "
            + exports
            + " exports\nof "
            + files
            + " files each, with manifests; planning lists the root, reads every manifest and\n"
            + "decides per export (the plan is checked: "
            + (exports - keepLast())
            + " exports and "
            + String.format(Locale.ROOT, "%,d", expectedFreed)
            + " files to delete).",
        table);
  }

  /** The retention job keeps the newest 30% of the exports. */
  private int keepLast() {
    return Math.max(1, options.scale().retentionExports() * 3 / 10);
  }

  private static String line(String work, List<Double> seconds, long items) {
    Samples ms = Samples.of(seconds.stream().map(s -> s * 1000).toList());
    return BenchCases.row(
        work, ms.spread(1), String.format(Locale.ROOT, "%.2f", ms.median() * 1000 / items));
  }

  private static void nextThree(Schedule schedule, Instant now) {
    Instant at = now;
    for (int i = 0; i < 3; i++) {
      Optional<Slot> slot = schedule.nextAfter(at);
      at = slot.orElseThrow().instant();
    }
  }

  private RetentionPlan plan(Retention retention, JobSpec job) {
    try {
      return retention.plan(job, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code count} scheduled jobs: a job file per timing and zone, then copies under other names.
   */
  private List<JobSpec> scheduledJobs(int count) throws IOException {
    JobLoader loader = new JobLoader(lakeport.site());
    List<JobSpec> templates = new ArrayList<>();
    Files.createDirectories(folder);
    for (String zone : ZONES) {
      for (String timing : TIMINGS) {
        Path file = folder.resolve("scheduled-" + templates.size() + ".conf");
        Files.writeString(
            file,
            """
            name = scheduled-%d
            time-zone = "%s"
            source { format = parquet, path = "%s" }
            sink { format = parquet, path = "%s" }
            schedule { %s }
            """
                .formatted(
                    templates.size(), zone, folder.resolve("in"), folder.resolve("out"), timing));
        templates.add(loader.load(file, Map.of(), JobLoader.Mode.RUN));
      }
    }
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JobSpec t = templates.get(i % templates.size());
      specs.add(
          new JobSpec(
              "scheduled-" + i,
              t.description(),
              t.file(),
              t.timeZone(),
              t.window(),
              t.params(),
              t.source(),
              t.inputs(),
              t.plan(),
              t.sink(),
              t.quality(),
              t.schemaDrift(),
              t.alerts(),
              t.incremental(),
              t.schedule(),
              t.notifications(),
              t.retention(),
              t.airflow(),
              t.fanOut()));
    }
    return specs;
  }

  private JobSpec retentionJob(Path root) throws IOException {
    Path file = folder.resolve("retained.conf");
    Files.writeString(
        file,
        """
        name = retained
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", partition-by = [day] }
        retention { keep { last = %d } }
        """
            .formatted(folder.resolve("in"), root, keepLast()));
    return new JobLoader(lakeport.site()).load(file, Map.of(), JobLoader.Mode.RUN);
  }

  /**
   * The export root of the retention plan, written once: exports published a day apart, each with
   * its files (a few bytes each) and a manifest naming them with sizes and SHA-256.
   */
  private Path exportRoot() throws IOException {
    int exports = options.scale().retentionExports();
    int files = options.scale().filesPerExport();
    Path root = folder.resolve("retained-" + exports + "x" + files);
    if (Files.exists(folder.resolve(root.getFileName() + ".complete"))) {
      return root;
    }
    BenchCases.delete(root);
    FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    Instant now = Instant.now();
    for (int e = 0; e < exports; e++) {
      Instant published = now.minus(Duration.ofDays(exports - e));
      LocalDate day = LocalDate.ofInstant(published, ZoneOffset.UTC);
      String runId = RUN_ID.format(published) + "-" + String.format("%06x", e);
      List<OutputFile> outputs = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        String path = "day=" + day + "/part-" + String.format("%05d", i) + "-" + runId + ".parquet";
        byte[] bytes = (runId + "/" + i).getBytes(StandardCharsets.UTF_8);
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        outputs.add(
            new OutputFile(
                path, Map.of("day", day.toString()), bytes.length, 1, sha256(bytes), null));
      }
      Manifest manifest =
          new Manifest(
              Manifest.VERSION,
              "retained",
              runId,
              "retained.conf",
              Map.of(),
              new Manifest.LogicalWindow(
                  day.toString(), day.toString(), day.plusDays(1).toString()),
              "bench",
              spark.version(),
              Map.of(),
              null,
              null,
              null,
              List.of(),
              null,
              null,
              List.of(),
              outputs,
              published.minusSeconds(5).toString(),
              published.toString(),
              5000,
              null,
              null,
              null);
      Manifests.write(
          fs, Manifests.path(new org.apache.hadoop.fs.Path(root.toUri()), runId), manifest);
    }
    Files.writeString(folder.resolve(root.getFileName() + ".complete"), "");
    return root;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
