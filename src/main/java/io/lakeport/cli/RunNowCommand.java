package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Secrets;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.run.RunId;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.Slot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport run-now <job> [--param k=v]...}: queues a manual run of a job in the run history,
 * for the scheduler to start at its next pass (with its lock and history, like a slot; retried by
 * the job's retry policy when the job has a schedule, never when it has none). Without {@code
 * --param run_date}, a scheduled job gets the run date of its latest slot, as if that slot fired
 * now. The params are checked as a run would check them before anything is queued.
 */
@Command(
    name = "run-now",
    description = "Queue a run of a job for the scheduler to start at its next pass.")
final class RunNowCommand implements Callable<Integer> {
  /**
   * How far back the latest slot is looked for (a monthly schedule's slot is at most 31 days old).
   */
  private static final Duration LOOK_BACK = Duration.ofDays(35);

  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Params params;

  @Parameters(index = "0", paramLabel = "JOB", description = "The job file.")
  Path file;

  @Override
  public Integer call() {
    JobLoader loader = lakeport.loader();
    Instant now = lakeport.clock().instant();
    Map<String, String> values = new LinkedHashMap<>(params.values);
    values.keySet().stream()
        .filter(Secrets::isSecretName)
        .findFirst()
        .ifPresent(
            name -> {
              throw new Failures.UserException(
                  "run-now keeps params in the run history, so "
                      + name
                      + " cannot be one; give secrets to the job through the environment or a file.");
            });
    if (!values.containsKey(JobLoader.RUN_DATE)) {
      JobSpec sample = JobFiles.load(loader, file, values, JobLoader.Mode.VALIDATE);
      latestSlot(sample, now)
          .ifPresent(slot -> values.put(JobLoader.RUN_DATE, slot.runDate().toString()));
    }
    JobSpec job = JobFiles.load(loader, file, values, JobLoader.Mode.RUN);
    String runId = RunId.next(lakeport.clock());
    try (HistoryStore history = HistoryStore.open(lakeport.site().history(), lakeport.clock())) {
      Run run =
          history
              .runLog()
              .enqueue(new RunRequest(runId, job.name(), Optional.empty(), Trigger.MANUAL, values))
              .orElseThrow(() -> new IllegalStateException("run id " + runId + " is taken"));
      spec.commandLine()
          .getOut()
          .printf(
              "queued run %s of job %s%s: the scheduler starts it at its next pass"
                  + " (lakeport status %s)%n",
              run.id(), run.job(), describe(values), run.id());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static Optional<Slot> latestSlot(JobSpec job, Instant now) {
    return Schedule.of(job)
        .flatMap(
            schedule -> {
              List<Slot> slots = schedule.slotsBetween(now.minus(LOOK_BACK), now);
              return slots.isEmpty() ? Optional.empty() : Optional.of(slots.get(slots.size() - 1));
            });
  }

  private static String describe(Map<String, String> values) {
    return values.isEmpty()
        ? ""
        : " with "
            + String.join(
                ", ",
                values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }
}
