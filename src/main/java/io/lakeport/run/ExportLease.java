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
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
  private static final Map<String, Holder> HELD = new ConcurrentHashMap<>();

  private final String key;
  private final Optional<FileChannel> channel;
  private final Optional<FileLock> lock;
  private final Optional<Holder> takenOver;

  private ExportLease(
      String key,
      Optional<FileChannel> channel,
      Optional<FileLock> lock,
      Optional<Holder> takenOver) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
    this.takenOver = takenOver;
  }

  /** Who holds a lease: the run, where it runs, and since when. */
  record Holder(String job, String runId, String host, long pid, String since) {
    String describe() {
      return "job "
          + job
          + " run "
          + runId
          + " (host "
          + host
          + ", pid "
          + pid
          + ", since "
          + since
          + ")";
    }
  }

  /**
   * Takes the lease of {@code root} for {@code holder}, waiting up to {@code wait} while another
   * run holds it. Throws {@link RunException} (exit code 3, so a scheduler retries) naming the
   * holder when it is still held after that.
   */
  static ExportLease acquire(FileSystem fs, Path root, Holder holder, Duration wait, Clock clock)
      throws IOException {
    String key = fs.makeQualified(root).toString();
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      Optional<Holder> current = Optional.ofNullable(HELD.putIfAbsent(key, holder));
      if (current.isEmpty()) {
        Optional<ExportLease> lease = Optional.empty();
        try {
          lease = tryLock(fs, root, key, holder);
          if (lease.isEmpty()) {
            // read while this thread has the root in HELD: no thread of this JVM holds the file's
            // lock, which closing the file after reading would release (POSIX locks are per
            // process)
            current =
                Optional.of(holderOf(lockFile(fs, root)).orElse(new Holder("?", "?", "?", 0, "?")));
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

  /** The run whose lease this one took over from a process that died holding it. */
  Optional<Holder> takenOver() {
    return takenOver;
  }

  /** Empties the lease file and releases the lock; the file stays, for the next run to lock. */
  @Override
  public void close() {
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

  private static Optional<ExportLease> tryLock(FileSystem fs, Path root, String key, Holder holder)
      throws IOException {
    Optional<File> file = lockFile(fs, root);
    if (file.isEmpty()) {
      return Optional.of(
          new ExportLease(key, Optional.empty(), Optional.empty(), Optional.empty()));
    }
    java.nio.file.Path path = file.get().toPath();
    try {
      Files.createDirectories(path.getParent());
    } catch (java.nio.file.FileAlreadyExistsException e) {
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
    Optional<Holder> previous = read(channel);
    previous.ifPresent(
        dead ->
            LOG.warn(
                "Took over the lease of {} from {}, whose process ended without releasing it",
                root,
                dead.describe()));
    byte[] content = JSON.writeValueAsBytes(holder);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(content), 0);
    channel.force(false);
    return Optional.of(new ExportLease(key, Optional.of(channel), Optional.of(lock), previous));
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

  private static Optional<Holder> holderOf(Optional<File> file) {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file.get().toPath(), StandardOpenOption.READ)) {
      return read(channel);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Holder> read(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0 || size > 64 * 1024) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    channel.read(buffer, 0);
    try {
      return Optional.of(
          JSON.readValue(new String(buffer.array(), StandardCharsets.UTF_8), Holder.class));
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
