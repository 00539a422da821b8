package io.lakeport.notify;

import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.LineageSettings;
import io.lakeport.config.Param;
import io.lakeport.config.Secrets;
import io.lakeport.config.Site;
import io.lakeport.history.Notification;
import io.lakeport.manifest.Manifest;
import io.lakeport.run.RunId;
import io.lakeport.run.RunResult;
import io.lakeport.run.Versions;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.ConsoleTransport;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenLineage run events of a process's runs: START when a run begins, then COMPLETE (with what
 * it read and wrote, as the manifest says, and the manifest itself as the facet {@code
 * lakeport_manifest}), FAIL (with the error) or ABORT (stopped). Sent in order on one background
 * thread through the OpenLineage client's transport (HTTP, file or console); each delivery is
 * recorded in the run history like a notification's (channel {@code openlineage}), and a backend
 * that fails never fails a run. {@link #close()} waits, bounded, for the events still queued.
 */
public final class RunLineage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLineage.class);
  static final String CHANNEL = "openlineage";
  static final String MANIFEST_FACET = "lakeport_manifest";

  /** Who produced the events: Lakeport, at its version. */
  private static final URI PRODUCER = URI.create("urn:lakeport:" + Versions.lakeport());

  private final Optional<Emitter> emitter;
  private final Clock clock;

  private RunLineage(Optional<Emitter> emitter, Clock clock) {
    this.emitter = emitter;
    this.clock = clock;
  }

  /** The lineage of the site's settings; nothing when {@code lakeport.lineage.enabled} is false. */
  public static RunLineage open(Site site, Clock clock) {
    LineageSettings settings = site.lineage();
    if (!settings.enabled()) {
      return none();
    }
    return new RunLineage(Optional.of(new Emitter(settings, site.history(), clock)), clock);
  }

  /** No events: lineage is off. */
  public static RunLineage none() {
    return new RunLineage(Optional.empty(), Clock.systemUTC());
  }

  /** The namespace of the events, when lineage is on. */
  public Optional<String> namespace() {
    return emitter.map(e -> e.settings.namespace());
  }

  /** A run starts: the job and its source; for a run of a schedule slot, its {@code parent}. */
  public void started(JobSpec job, String runId, Optional<Parent> parent) {
    send(new Happening(job, runId, parent, EventType.START, Optional.empty(), Optional.empty()));
  }

  /** A run ended without failing: published, or skipped with nothing to publish. */
  public void completed(JobSpec job, String runId, Optional<Parent> parent, RunResult result) {
    send(
        new Happening(
            job, runId, parent, EventType.COMPLETE, Optional.of(result), Optional.empty()));
  }

  /** A run failed; {@code error} is its summary, secrets masked. */
  public void failed(JobSpec job, String runId, Optional<Parent> parent, String error) {
    send(new Happening(job, runId, parent, EventType.FAIL, Optional.empty(), Optional.of(error)));
  }

  /** What an event tells: the run, its kind, and what it wrote or why it failed. */
  private record Happening(
      JobSpec job,
      String runId,
      Optional<Parent> parent,
      EventType type,
      Optional<RunResult> result,
      Optional<String> error) {}

  private void send(Happening happening) {
    emitter.ifPresent(
        e -> e.send(happening.runId(), happening.type(), ol -> event(ol, e.settings, happening)));
  }

  /**
   * Until the returned watch is closed, a JVM that stops (SIGTERM, Ctrl-C) sends ABORT for the run
   * before it exits, after the events already queued.
   */
  public Watch abortOnExit(JobSpec job, String runId, Optional<Parent> parent) {
    if (emitter.isEmpty()) {
      return () -> {};
    }
    Emitter e = emitter.get();
    Happening aborted =
        new Happening(
            job,
            runId,
            parent,
            EventType.ABORT,
            Optional.empty(),
            Optional.of(
                "interrupted: the process was stopped (SIGTERM or Ctrl-C) while the run was going"
                    + " on"));
    Thread hook =
        new Thread(
            () -> e.sendNow(runId, EventType.ABORT, event(e.openLineage, e.settings, aborted)),
            "lakeport-lineage-abort-" + runId);
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException stopping) {
        // the JVM is stopping: the hook runs
      }
    };
  }

  /** A run being watched for the JVM stopping; closing it ends the watch. */
  public interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * The run a Lakeport run belongs to: the slot of its schedule it runs for (job {@code
   * <job>.schedule}, one parent run per slot, whatever the retries), or what {@code
   * --lineage-parent} names (an Airflow task's run).
   */
  public record Parent(String namespace, String job, UUID runId) {
    /** The longest namespace, job or run name taken from outside. */
    private static final int MAX_PART = 500;

    /**
     * {@code NAMESPACE/JOB/RUN} (the job may hold no slash, the namespace may): RUN is a UUID, or
     * any name, which becomes a name-based UUID; each part 1 to 500 printable characters.
     */
    public static Parent parse(String text) {
      int last = text.lastIndexOf('/');
      int middle = last <= 0 ? -1 : text.lastIndexOf('/', last - 1);
      if (middle <= 0 || last == text.length() - 1 || middle == last - 1) {
        throw new IllegalArgumentException(
            "expected NAMESPACE/JOB/RUN, e.g. airflow/orders_dag.export/"
                + "0190f1a2-7b3c-7d4e-8f50-1a2b3c4d5e6f, found \""
                + printable(text)
                + "\"");
      }
      String namespace = text.substring(0, middle);
      String job = text.substring(middle + 1, last);
      String run = text.substring(last + 1);
      for (String part : List.of(namespace, job, run)) {
        if (part.length() > MAX_PART || !part.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
          throw new IllegalArgumentException(
              "each part must be 1 to " + MAX_PART + " printable characters");
        }
      }
      UUID runId;
      try {
        runId = UUID.fromString(run);
      } catch (IllegalArgumentException notUuid) {
        runId = UUID.nameUUIDFromBytes(run.getBytes(StandardCharsets.UTF_8));
      }
      return new Parent(namespace, job, runId);
    }

    private static String printable(String text) {
      String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
      return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** The slot {@code slot} of {@code job}'s schedule. */
    public static Parent ofSlot(String namespace, String job, Instant slot) {
      return new Parent(namespace, job + ".schedule", uuid(slot, job + "@" + slot));
    }
  }

  /**
   * The OpenLineage run id of a Lakeport run: a UUID version 7 whose time is the run id's (so
   * events sort as runs do) and whose other bits come from the run id, so every process that speaks
   * of the run (the scheduler, the driver) names it the same.
   */
  public static UUID runUuid(String runId) {
    return uuid(RunId.startOf(runId).orElse(Instant.EPOCH), runId);
  }

  private static UUID uuid(Instant time, String name) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16).slice();
    long millis = time.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long high = (millis << 16) | (bytes.getShort(6) & 0x0FFF) | 0x7000;
    long low = (bytes.getLong(8) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }

  private OpenLineage.RunEvent event(
      OpenLineage ol, LineageSettings settings, Happening happening) {
    JobSpec job = happening.job();
    Optional<Parent> parent = happening.parent();
    Optional<RunResult> result = happening.result();
    Optional<String> error = happening.error();
    OpenLineage.RunFacetsBuilder runFacets = ol.newRunFacetsBuilder();
    parent.ifPresent(
        p ->
            runFacets.parent(
                ol.newParentRunFacet(
                    ol.newParentRunFacetRun(p.runId(), null),
                    ol.newParentRunFacetJob(p.namespace(), p.job(), null),
                    null)));
    window(job)
        .ifPresent(w -> runFacets.nominalTime(ol.newNominalTimeRunFacet(w.start(), w.end())));
    error.ifPresent(
        message -> runFacets.errorMessage(ol.newErrorMessageRunFacet(message, "text", null)));
    Optional<Manifest> manifest = result.map(RunResult::manifest);
    manifest.ifPresent(
        m -> {
          runFacets.processing_engine(
              ol.newProcessingEngineRunFacet(m.sparkVersion(), "spark", Versions.lakeport()));
          OpenLineage.DefaultRunFacet facet = new OpenLineage.DefaultRunFacet(PRODUCER);
          facet.getAdditionalProperties().put("run_id", m.runId());
          facet.getAdditionalProperties().put("manifest", result.get().manifestPath().orElse(null));
          facet.getAdditionalProperties().put("published", result.get().manifestPath().isPresent());
          facet.getAdditionalProperties().put("content", ManifestFacet.of(m));
          runFacets.put(MANIFEST_FACET, facet);
        });
    return ol.newRunEventBuilder()
        .eventType(happening.type())
        .eventTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .run(ol.newRunBuilder().runId(runUuid(happening.runId())).facets(runFacets.build()).build())
        .job(
            ol.newJobBuilder()
                .namespace(settings.namespace())
                .name(job.name())
                .facets(
                    ol.newJobFacetsBuilder()
                        .jobType(ol.newJobTypeJobFacet("BATCH", "LAKEPORT", "JOB", null))
                        .build())
                .build())
        .inputs(LineageDatasets.inputs(ol, job, manifest))
        .outputs(List.of(LineageDatasets.output(ol, job, manifest)))
        .build();
  }

  /** The run's window in UTC, for jobs with {@code run_date}. */
  private static Optional<Window> window(JobSpec job) {
    Param start = job.params().get(JobLoader.WINDOW_START);
    Param end = job.params().get(JobLoader.WINDOW_END);
    if (start == null || end == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Window(
            LocalDate.parse(String.valueOf(start.value())).atStartOfDay(job.timeZone()),
            LocalDate.parse(String.valueOf(end.value())).atStartOfDay(job.timeZone())));
  }

  private record Window(ZonedDateTime start, ZonedDateTime end) {}

  @Override
  public void close() {
    emitter.ifPresent(Emitter::close);
  }

  /** Sends events in order on one thread and records each delivery. */
  private static final class Emitter {
    private final LineageSettings settings;
    private final OpenLineage openLineage;
    private final OpenLineageClient client;
    private final DeliveryLog deliveries;
    private final Clock clock;
    private final ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lakeport-lineage");
              t.setDaemon(true);
              return t;
            });

    Emitter(LineageSettings settings, HistorySettings history, Clock clock) {
      this.settings = settings;
      this.openLineage = new OpenLineage(PRODUCER);
      this.client = new OpenLineageClient(transport(settings));
      this.deliveries = DeliveryLog.opening(history, clock);
      this.clock = clock;
    }

    private static Transport transport(LineageSettings settings) {
      return switch (settings.transport()) {
        case HTTP -> {
          HttpConfig config = new HttpConfig();
          config.setUrl(settings.url().orElseThrow());
          config.setEndpoint(settings.endpoint());
          config.setTimeoutInMillis((int) settings.timeout().toMillis());
          settings
              .apiKeyEnv()
              .map(System::getenv)
              .ifPresent(
                  key -> {
                    ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
                    auth.setApiKey(key);
                    config.setAuth(auth);
                  });
          yield new HttpTransport(config);
        }
        case FILE -> new FileTransport(new FileConfig(settings.file().toString()));
        case CONSOLE -> new ConsoleTransport();
      };
    }

    void send(
        String runId,
        EventType type,
        java.util.function.Function<OpenLineage, OpenLineage.RunEvent> event) {
      OpenLineage.RunEvent built;
      try {
        built = event.apply(openLineage);
      } catch (RuntimeException e) {
        LOG.warn("Cannot build the OpenLineage {} event of run {}: {}", type, runId, e.toString());
        return;
      }
      thread.execute(() -> deliver(runId, type, built));
    }

    /** Delivers on this thread, after the events already queued (at most the timeout's wait). */
    void sendNow(String runId, EventType type, OpenLineage.RunEvent event) {
      thread.shutdown();
      try {
        thread.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      deliver(runId, type, event);
    }

    private void deliver(String runId, EventType type, OpenLineage.RunEvent e) {
      Optional<String> error = Optional.empty();
      try {
        client.emit(e);
        LOG.debug("Sent the OpenLineage {} event of run {} to {}", type, runId, settings.target());
      } catch (RuntimeException failure) {
        error = Optional.of(Secrets.maskUrl(String.valueOf(failure.getMessage())));
        LOG.warn(
            "Cannot send the OpenLineage {} event of run {} to {}: {}",
            type,
            runId,
            settings.target(),
            error.get());
      }
      try {
        deliveries.record(
            new Notification(
                runId,
                CHANNEL,
                type.name().toLowerCase(Locale.ROOT) + " to " + settings.target(),
                1,
                error.isEmpty() ? Notification.Delivery.SENT : Notification.Delivery.FAILED,
                error,
                clock.instant()));
      } catch (RuntimeException failure) {
        LOG.warn(
            "Cannot record the OpenLineage {} event of run {} in the run history: {}",
            type,
            runId,
            failure.toString());
      }
    }

    void close() {
      thread.shutdown();
      try {
        if (!thread.awaitTermination(
            settings.timeout().multipliedBy(2).plus(Duration.ofSeconds(1)).toMillis(),
            TimeUnit.MILLISECONDS)) {
          LOG.warn("OpenLineage events still unsent at exit were dropped");
        }
        client.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("Cannot close the OpenLineage client: {}", e.toString());
      }
    }
  }

  /** The manifest as plain values for the facet (the client writes facets with its own JSON). */
  private static final class ManifestFacet {
    private ManifestFacet() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Manifest manifest) {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(manifest.toJson(), LinkedHashMap.class);
      } catch (java.io.IOException e) {
        return new LinkedHashMap<>();
      }
    }
  }
}
