package io.lakeport.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-line headline of failures outside Lakeport, from the causes that wrap the reason. */
class FailureTextTest {
  @TempDir Path dir;

  @Test
  void theRootCauseIsFoundUnderEveryWrapper() {
    IOException full = new IOException("No space left on device");
    Throwable wrapped =
        new UncheckedIOException(
            "Error closing the output.",
            new IOException("Error writing row.", new IllegalStateException("closing", full)));

    assertThat(FailureText.headline(wrapped))
        .isEqualTo("Error closing the output.: No space left on device");
    assertThat(FailureText.firstLineOf(wrapped)).isEqualTo(FailureText.headline(wrapped));
    assertThat(ExitCode.of(wrapped)).isEqualTo(ExitCode.EXTERNAL);
  }

  @Test
  void aTraceWrittenIntoAMessageIsLeftOut() {
    IOException failure =
        new IOException(
            "Lost task 0.0 in stage 1.0: java.io.IOException: No space left on device\n"
                + "\tat org.apache.hadoop.fs.RawLocalFileSystem.write(RawLocalFileSystem.java:1)\n"
                + "Caused by: java.io.IOException: No space left on device\n"
                + "\t... 40 more");

    assertThat(FailureText.headline(failure))
        .isEqualTo("Lost task 0.0 in stage 1.0: java.io.IOException: No space left on device");
  }

  @Test
  void aFolderHadoopCouldNotMakeSaysWhy() throws IOException {
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
    IOException failure =
        new IOException(
            "Mkdirs failed to create file:"
                + blocker.resolve("out/_temporary/0/_temporary/attempt_1")
                + " (exists=false, cwd=file:/)");

    assertThat(FailureText.headline(failure))
        .isEqualTo(
            "Cannot create the folder file:"
                + blocker.resolve("out")
                + ": "
                + blocker
                + " is a file, not a folder");
  }

  @Test
  void lakeportsOwnMessageGainsTheRootCauseOnlyWhenItLacksIt() {
    RuntimeException says =
        new External(
            "Cannot write x: Read-only file system", new IOException("Read-only file system"));
    RuntimeException lacks =
        new External("Cannot write x", new IOException("/x: Read-only file system"));

    assertThat(FailureText.headline(says)).isEqualTo("Cannot write x: Read-only file system");
    assertThat(FailureText.headline(lacks)).isEqualTo("Cannot write x (Read-only file system)");
  }

  /** A Lakeport exception for a failure outside Lakeport, as {@code RunException} is. */
  private static final class External extends RuntimeException implements Classified {
    private static final long serialVersionUID = 1L;

    External(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.EXTERNAL;
    }
  }
}
