package io.lakeport.failure;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkThrowable;

/**
 * Why a failure outside Lakeport happened, in words, and on which path: Hadoop and Spark wrap the
 * I/O error that ended a run three or four times (a task's {@code SparkException}, a writer's
 * exception, Hadoop's {@code FSError}, the {@code IOException}), so the reason a user can act on is
 * found by walking the causes, deepest first.
 */
final class RootCause {
  /** Operating system and object store reasons, as they appear in messages, and their words. */
  private static final List<Known> KNOWN =
      List.of(
          new Known("No space left on device", "No space left on device"),
          new Known("Disk quota exceeded", "Disk quota exceeded"),
          new Known("Read-only file system", "Read-only file system"),
          new Known("Permission denied", "Permission denied"),
          new Known("Access Denied", "Access Denied (403)"),
          new Known("Status Code: 403", "Access Denied (403)"),
          new Known("is not a Parquet file", "not a Parquet file"),
          new Known("Too many open files", "Too many open files"),
          new Known("Connection refused", "Connection refused"));

  /** Where a message that carries a stack trace in its text (Spark's task failures) starts it. */
  private static final Pattern TRACE_IN_TEXT =
      Pattern.compile(
          "\\R(\\s+at |\\s*Caused by: |\\s+\\.\\.\\. \\d+ more|Driver stacktrace:).*",
          Pattern.DOTALL);

  /** Spark's error conditions about one file, and what Lakeport says failed. */
  private static final String READ_FILE = "FAILED_READ_FILE";

  private static final String FILE_FOOTER = "FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER";
  private static final String WRITE_FILE = "TASK_WRITE_FAILED";

  /** A Hadoop task attempt's folder: the file's place after the commit is what users know. */
  private static final Pattern TASK_ATTEMPT = Pattern.compile("/_temporary/.*/");

  /** Where a folder that Hadoop's committers could not make ends. */
  private static final Pattern ATTEMPT_FOLDER = Pattern.compile("/_temporary/.*");

  /** Hadoop's local file system says only that a folder could not be made, not why. */
  private static final Pattern MKDIRS_FAILED = Pattern.compile("Mkdirs failed to create (\\S+)");

  /** Spark's messages that only wrap the failure of a task. */
  private static final List<String> WRAPPERS =
      List.of("Job aborted due to stage failure", "Exception thrown in awaitResult");

  private RootCause() {}

  private record Known(String phrase, String words) {}

  /**
   * The reason, in words, when one of the causes says it in a way Lakeport knows (a full disk, a
   * read-only mount, a refused access, a file that is not Parquet); empty otherwise.
   */
  static Optional<String> known(Throwable failure) {
    for (Throwable t : deepestFirst(failure)) {
      String message = String.valueOf(t.getMessage());
      for (Known known : KNOWN) {
        if (message.contains(known.phrase())) {
          return Optional.of(known.words());
        }
      }
      Optional<String> reason = reasonOf(t).or(() -> whyNoFolder(message));
      if (reason.isPresent()) {
        return reason;
      }
    }
    return Optional.empty();
  }

  /**
   * The reason in words: a known one, else the deepest cause's message (its class when it has
   * none).
   */
  static String words(Throwable failure) {
    return known(failure)
        .orElseGet(
            () -> {
              List<Throwable> chain = deepestFirst(failure);
              Throwable deepest = chain.get(0);
              String message = firstLine(deepest.getMessage());
              return message.isEmpty() ? deepest.getClass().getSimpleName() : message;
            });
  }

  /**
   * What failed on which path, and why, in one line, for a failure that Lakeport did not describe
   * itself (a Spark or I/O exception): "Cannot write PATH: No space left on device".
   */
  static String describe(Throwable failure) {
    for (Throwable t : deepestFirst(failure)) {
      if (t instanceof SparkThrowable spark && spark.getCondition() != null) {
        String condition = spark.getCondition();
        Optional<String> path = Optional.ofNullable(spark.getMessageParameters().get("path"));
        if (condition.equals(FILE_FOOTER) && path.isPresent()) {
          return "Cannot read " + path.get() + ": " + footerWords(failure, path.get());
        }
        if (condition.startsWith(READ_FILE) && path.isPresent()) {
          return "Cannot read " + path.get() + ": " + words(failure);
        }
        if (condition.equals(WRITE_FILE) && path.isPresent()) {
          String file = TASK_ATTEMPT.matcher(path.get()).replaceFirst("/");
          return "Cannot write " + file + ": " + words(failure);
        }
      }
    }
    for (Throwable t : deepestFirst(failure)) {
      if (t instanceof FileSystemException io && io.getFile() != null) {
        return "Cannot access " + io.getFile() + ": " + words(failure);
      }
      Matcher folder = MKDIRS_FAILED.matcher(String.valueOf(t.getMessage()));
      if (folder.find()) {
        return "Cannot create the folder "
            + ATTEMPT_FOLDER.matcher(folder.group(1)).replaceFirst("")
            + ": "
            + words(failure);
      }
    }
    String top = topLine(failure);
    String words = words(failure);
    if (top.isEmpty()) {
      return words;
    }
    return top.contains(words) ? top : top + ": " + words;
  }

  /** The first line of the outermost message that says more than that a Spark task failed. */
  private static String topLine(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String line = firstLine(t.getMessage());
      if (WRAPPERS.stream().noneMatch(line::startsWith)) {
        return line;
      }
    }
    return firstLine(failure.getMessage());
  }

  /**
   * Why a local folder could not be made: Hadoop's {@code mkdirs} says only that it failed, so the
   * first missing folder is made again through {@link Files#createDirectory}, which says why (a
   * read-only mount, a folder the user may not write, a file in the way); made after all, it is
   * removed again.
   */
  private static Optional<String> whyNoFolder(String message) {
    Matcher folder = MKDIRS_FAILED.matcher(message);
    if (!folder.find()) {
      return Optional.empty();
    }
    Optional<Path> missing = localPath(folder.group(1));
    while (missing.isPresent()
        && missing.get().getParent() != null
        && !Files.exists(missing.get().getParent())) {
      missing = missing.map(Path::getParent);
    }
    if (missing.isEmpty() || missing.get().getParent() == null) {
      return Optional.empty();
    }
    Path parent = missing.get().getParent();
    if (Files.isRegularFile(parent)) {
      return Optional.of(parent + " is a file, not a folder");
    }
    try {
      Files.delete(Files.createDirectory(missing.get()));
      return Optional.empty();
    } catch (AccessDeniedException e) {
      return Optional.of("Permission denied");
    } catch (FileSystemException e) {
      return Optional.ofNullable(e.getReason());
    } catch (IOException e) {
      return Optional.empty(); // no better reason than Hadoop's
    }
  }

  /** A path of the local file system ({@code file:/x} or {@code /x}), if it is one. */
  private static Optional<Path> localPath(String location) {
    if (location.startsWith("file:")) {
      return Optional.of(Path.of(location.substring("file:".length()).replaceFirst("^//", "")));
    }
    return location.startsWith("/") ? Optional.of(Path.of(location)) : Optional.empty();
  }

  /** The message without a stack trace that Spark wrote into its text. */
  static String withoutTrace(String message) {
    return TRACE_IN_TEXT.matcher(String.valueOf(message)).replaceFirst("").strip();
  }

  /** A footer that cannot be read: the file is not of its format, or it is cut short. */
  private static String footerWords(Throwable failure, String path) {
    String format = path.toLowerCase(Locale.ROOT).endsWith(".orc") ? "an ORC" : "a Parquet";
    Optional<String> known = known(failure);
    if (known.isPresent()) {
      return known.get();
    }
    return "not " + format + " file, or a damaged one (" + words(failure) + ")";
  }

  /** What {@link FileSystemException}s say without the path (which the headline names). */
  private static Optional<String> reasonOf(Throwable t) {
    if (t instanceof FileSystemException io && io.getReason() != null) {
      return Optional.of(io.getReason());
    }
    if (t instanceof AccessDeniedException) {
      return Optional.of("Permission denied");
    }
    if (t instanceof NoSuchFileException) {
      return Optional.of("No such file or directory");
    }
    return Optional.empty();
  }

  private static List<Throwable> deepestFirst(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(0, t);
    }
    return chain;
  }

  private static String firstLine(String message) {
    return withoutTrace(message).lines().findFirst().orElse("").strip();
  }
}
