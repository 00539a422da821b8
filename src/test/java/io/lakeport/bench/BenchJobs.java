package io.lakeport.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's job files, written into the benchmark's work folder with absolute paths: the
 * aggregate job that {@link PlainSpark} and DuckDB also run, a row export (every kept row, one
 * folder per day), and the small jobs of the many-jobs case.
 */
final class BenchJobs {
  private final Path folder;

  BenchJobs(Path folder) {
    this.folder = folder;
  }

  /** Filter, daily aggregate per country and category, partitioned by day. */
  Path aggregate(String name, Path input, Path output, String format, String compression) {
    return write(
        name,
        """
        name = %s
        description = "Benchmark: daily revenue per country and category"
        source { format = parquet, path = "%s" }
        plan {
          where = { and = [
            { column = status, not-in = [cancelled] }
            { column = amount, gt = 1.0 }
          ] }
          derive { event_day = "to_date(event_ts)" }
          aggregate {
            group-by = [event_day, country, category]
            metrics {
              events = "count"
              revenue = "sum(amount)"
              avg_amount = "avg(amount)"
              items = "sum(quantity)"
              customers = "approx_count_distinct(customer_id)"
            }
          }
        }
        sink {
          format = %s
          path = "%s"
          partition-by = [event_day]
          mode = overwrite
          compression = %s
          %s
        }
        """
            .formatted(name, input, format, output, compression, header(format)));
  }

  /**
   * Every row but cancelled ones, with a derived day, as {@code format}, one folder per value of
   * {@code partitionBy} (none when empty); {@code extra} is added to the job.
   */
  Path rows(
      String name,
      Path input,
      Path output,
      String format,
      String compression,
      String partitionBy,
      String extra) {
    return write(
        name,
        """
        name = %s
        description = "Benchmark: every completed or failed event"
        source { format = parquet, path = "%s" }
        plan {
          where = { column = status, not-in = [cancelled] }
          derive { event_day = "to_date(event_ts)" }
        }
        sink {
          format = %s
          path = "%s"
          %s
          mode = overwrite
          compression = %s
          %s
        }
        %s
        """
            .formatted(
                name,
                input,
                format,
                output,
                partitionBy.isEmpty() ? "" : "partition-by = [" + partitionBy + "]",
                compression,
                header(format),
                extra));
  }

  /**
   * Case 2's row export: every row but cancelled ones with an amount over 5, the day and the line
   * total derived, zstd Parquet, one folder per day.
   */
  Path rowExport(String name, Path input, Path output) {
    return write(
        name,
        """
        name = %s
        description = "Benchmark: kept rows with their day and line total"
        source { format = parquet, path = "%s" }
        plan {
          where = "status <> 'cancelled' and amount > 5"
          derive {
            event_day = "to_date(event_ts)"
            line_total = "amount * quantity"
          }
        }
        sink {
          format = parquet
          path = "%s"
          partition-by = [event_day]
          mode = overwrite
          compression = zstd
        }
        """
            .formatted(name, input, output));
  }

  /** A small export: one country's events, as CSV. */
  Path small(String name, Path input, Path output, String country) {
    return write(
        name,
        """
        name = %s
        description = "Benchmark: the events of one country"
        source { format = parquet, path = "%s" }
        plan { where = { column = country, eq = %s } }
        sink { format = csv, path = "%s", mode = overwrite, compression = gzip, options { header = true } }
        """
            .formatted(name, input, country, output));
  }

  private static String header(String format) {
    return format.equals("csv") ? "options { header = true }" : "";
  }

  private Path write(String name, String text) {
    try {
      Files.createDirectories(folder);
      return Files.writeString(folder.resolve(name + ".conf"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
