package io.lakeport.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs python3 on generated DAG files: {@code py_compile}, and an import against the stand-in
 * {@code airflow} and {@code pendulum} modules in {@code src/test/resources/airflow/standin}
 * (Airflow itself cannot be installed on the build machines; see the README there).
 */
final class StandInAirflow {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 60;

  private StandInAirflow() {}

  /** What python3 printed and how it exited. */
  record Result(int exitCode, String out, String err) {
    Result succeeded() {
      assertThat(exitCode).as("python3 exit code; stderr:\n" + err).isZero();
      return this;
    }
  }

  /** The Airflow generation the stand-ins play (see check_dag.py). */
  enum Airflow {
    AIRFLOW_2("2"),
    AIRFLOW_3("3");

    private final String generation;

    Airflow(String generation) {
      this.generation = generation;
    }
  }

  /** {@code python3 -m py_compile <file>}: the file is valid Python. */
  static Result compile(Path dagFile) {
    return python(List.of("-m", "py_compile", dagFile.toString()), "", Airflow.AIRFLOW_3);
  }

  /**
   * Imports the DAG file against the Airflow 3 stand-ins; each DAG with its arguments and tasks.
   */
  static Result importDag(Path dagFile) {
    return importDag(dagFile, Airflow.AIRFLOW_3);
  }

  static Result importDag(Path dagFile, Airflow airflow) {
    return python(List.of(checker().toString(), dagFile.toString()), "", airflow);
  }

  /**
   * The DAGs recorded importing the file as Airflow 3 and as Airflow 2 would (each import path of
   * the guarded import taken once), which must be the same.
   */
  static JsonNode dags(Path dagFile) {
    JsonNode three = parse(importDag(dagFile, Airflow.AIRFLOW_3).succeeded().out());
    JsonNode two = parse(importDag(dagFile, Airflow.AIRFLOW_2).succeeded().out());
    assertThat(two).as("%s imported as Airflow 2 and as Airflow 3", dagFile).isEqualTo(three);
    return three;
  }

  /**
   * The rendered application_args of every task, one list per line of {@code runs} (see
   * check_dag.py).
   */
  static List<JsonNode> render(Path dagFile, List<String> runs) {
    String out =
        python(
                List.of(checker().toString(), dagFile.toString(), "--render"),
                String.join("\n", runs) + "\n",
                Airflow.AIRFLOW_3)
            .succeeded()
            .out();
    List<JsonNode> rendered = new ArrayList<>();
    out.lines().forEach(line -> rendered.add(parse(line)));
    return rendered;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path checker() {
    try {
      return Path.of(StandInAirflow.class.getResource("/airflow/standin/check_dag.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Result python(List<String> args, String stdin, Airflow airflow) {
    List<String> command = new ArrayList<>();
    command.add("python3");
    command.addAll(args);
    try {
      Path err = Files.createTempFile("python3-", ".err");
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
      builder.environment().put("STANDIN_AIRFLOW", airflow.generation);
      Process process = builder.start();
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "python3 " + args + " did not end within " + TIMEOUT_SECONDS + "s");
      }
      String errors = Files.readString(err);
      Files.delete(err);
      return new Result(process.exitValue(), out, errors);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run python3 " + args, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
