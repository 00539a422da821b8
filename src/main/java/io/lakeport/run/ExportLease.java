package io.lakeport.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per export root. A run holds its export's lease from before it cleans up after earlier
 * attempts until its files are published and its manifest written, so two runs on one export (a
 * scheduled run and a manual one, two backfills) can never remove each other's staging data or
 * publish over each other.
 *
 * <p>On local disk the lease is an exclusive lock on {@code .<root name>.lakeport-lease} beside the
 * export folder, taken with the operating system's file locks: it holds across processes and needs
 * no run history, and the system releases it when its process dies, even by SIGKILL. The file names
 * its holder (job, run, host, pid, since) while it is held and is emptied when released, so a lease
 * found with a holder in it was left by a process that died: the new holder takes it over and says
 * whose it was. Runs in one JVM (the scheduler's pool, the Java API) are kept apart by a registry
 * of the roots leased in this process, since a process cannot lock a file twice. On other file
 * systems (S3, HDFS) the registry is the only lease: runs on one export from different processes
 * are not kept apart there.
 */
final class ExportLease implements AutoCloseable {
  /** The lease file's name after the root's: {@code .<root name>.lakeport-lease}. */
  static final String SUFFIX = ".lakeport-lease";

  private static final Logger LOG = LoggerFactory.getLogger(ExportLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How often a run that waits for a lease tries again. */
  private static final Duration POLL = Duration.ofMillis(250);

  /** Roots leased by runs of this JVM, with their holders. */
  private static final Map<String, LeaseHolder> HELD = new ConcurrentHashMap<>();

  /** Renews the shared leases held in this JVM. */
  private static final ScheduledExecutorService RENEWALS =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "lakeport-lease-renewal");
            thread.setDaemon(true);
            return thread;
          });

  private final String key;
  private final LeaseHolder holder;
  private final Optional<FileChannel> channel;
  private final Optional<FileLock> lock;
  private final SharedLeases shared;
  private final AtomicBoolean lost = new AtomicBoolean();
  private Optional<ScheduledFuture<?>> renewal = Optional.empty();

  private ExportLease(
      String key,
      LeaseHolder holder,
      Optional<FileChannel> channel,
      Optional<FileLock> lock,
      SharedLeases shared) {
    this.key = key;
    this.holder = holder;
    this.channel = channel;
    this.lock = lock;
    this.shared = shared;
  }

  /**
   * Takes the lease of {@code root} for {@code holder}, waiting up to {@code wait} while another
   * run holds it: first among this JVM's runs, then this host's file lock (local disk), then the
   * {@code shared} lease of every process using the same run history. Throws {@link RunException}
   * (exit code 3, so a scheduler retries) naming the holder when it is still held after that.
   */
  static ExportLease acquire(
      FileSystem fs, Path root, LeaseHolder holder, SharedLeases shared, Duration wait, Clock clock)
      throws IOException {
    String key = fs.makeQualified(root).toString();
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      Optional<LeaseHolder> current = Optional.ofNullable(HELD.putIfAbsent(key, holder));
      if (current.isEmpty()) {
        Optional<ExportLease> lease = Optional.empty();
        try {
          Optional<ExportLease> local = tryLock(fs, root, key, holder, shared);
          if (local.isEmpty()) {
            // read while this thread has the root in HELD: no thread of this JVM holds the file's
            // lock, which closing the file after reading would release (POSIX locks: per process)
            current =
                Optional.of(
                    holderOf(lockFile(fs, root)).orElse(new LeaseHolder("?", "?", "?", 0, "?")));
          } else {
            current = shared.take(key, holder);
            if (current.isEmpty()) {
              lease = local;
              local.get().renewEvery(shared.renewEvery());
            } else {
              local.get().releaseLocal();
            }
          }
        } finally {
          if (lease.isEmpty()) {
            HELD.remove(key);
          }
        }
        if (lease.isPresent()) {
          return lease.get();
        }
      }
      if (!clock.instant().isBefore(deadline)) {
        throw RunException.cannot(
            "start",
            holder.job(),
            holder.runId(),
            "another run is writing the export at "
                + root
                + ": "
                + current.get().describe()
                + ". Wait until it ends, or run with --wait DURATION to wait"
                + " for it",
            null);
      }
      pause();
    }
  }

  /**
   * Fails unless the run still holds its lease: a shared lease that could not be renewed for its
   * time to live was taken over by another run, and this one must not publish over it.
   */
  void ensureHeld() {
    if (lost.get()) {
      throw RunException.cannot(
          "publish",
          holder.job(),
          holder.runId(),
          "the lease of "
              + key
              + " was taken over by another run while this one could not renew it (see"
              + " lakeport.history.lock-ttl); nothing of this run is published",
          null);
    }
  }

  /**
   * Releases the shared lease, empties the lease file and releases the lock; the file stays, for
   * the next run to lock.
   */
  @Override
  public void close() {
    try {
      renewal.ifPresent(r -> r.cancel(false));
      if (!lost.get()) {
        shared.release(key, holder.runId());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Cannot release the shared lease of {}: {}; it expires after lakeport.history.lock-ttl",
          key,
          e.getMessage());
    } finally {
      releaseLocal();
    }
  }

  private void renewEvery(Duration period) {
    if (period.isZero()) {
      return;
    }
    renewal =
        Optional.of(
            RENEWALS.scheduleWithFixedDelay(
                this::renew, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
  }

  private void renew() {
    try {
      if (!shared.renew(key, holder.runId()) && lost.compareAndSet(false, true)) {
        LOG.error(
            "Run {} lost the lease of {} to another run; it will not publish", holder.runId(), key);
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot renew the shared lease of {}: {}", key, e.getMessage());
    }
  }

  private void releaseLocal() {
    try {
      if (channel.isPresent()) {
        channel.get().truncate(0);
        lock.orElseThrow().release();
        channel.get().close();
      }
    } catch (IOException e) {
      LOG.warn(
          "Cannot release the lease of {} cleanly: {}; the system releases it when this process ends",
          key,
          e.getMessage());
    } finally {
      HELD.remove(key);
    }
  }

  private static Optional<ExportLease> tryLock(
      FileSystem fs, Path root, String key, LeaseHolder holder, SharedLeases shared)
      throws IOException {
    Optional<File> file = lockFile(fs, root);
    if (file.isEmpty()) {
      return Optional.of(new ExportLease(key, holder, Optional.empty(), Optional.empty(), shared));
    }
    java.nio.file.Path path = file.get().toPath();
    try {
      Files.createDirectories(path.getParent());
    } catch (FileAlreadyExistsException e) {
      throw new IOException(e.getFile() + " is in the way: it is a file, not a folder", e);
    }
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    read(channel)
        .ifPresent(
            dead ->
                LOG.warn(
                    "Took over the lease of {} from {}, whose process ended without releasing it",
                    root,
                    dead.describe()));
    byte[] content = JSON.writeValueAsBytes(holder);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(content), 0);
    channel.force(false);
    return Optional.of(
        new ExportLease(key, holder, Optional.of(channel), Optional.of(lock), shared));
  }

  /**
   * The lease file of a root on local disk, beside the root ({@code .<name>.lakeport-lease} in its
   * parent): an unpartitioned overwrite swaps the root folder itself, which would take a lease file
   * inside it along. Empty on other file systems.
   */
  private static Optional<File> lockFile(FileSystem fs, Path root) {
    Path qualified = fs.makeQualified(root);
    if (!"file".equals(qualified.toUri().getScheme())) {
      return Optional.empty();
    }
    File folder = new File(qualified.toUri());
    return Optional.of(new File(folder.getParentFile(), "." + folder.getName() + SUFFIX));
  }

  private static Optional<LeaseHolder> holderOf(Optional<File> file) {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file.get().toPath(), StandardOpenOption.READ)) {
      return read(channel);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<LeaseHolder> read(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0 || size > 64 * 1024) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    channel.read(buffer, 0);
    try {
      return Optional.of(
          JSON.readValue(new String(buffer.array(), StandardCharsets.UTF_8), LeaseHolder.class));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an export's lease", e);
    }
  }
}
