package io.lakeport.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Between records and rows: times as {@code TIMESTAMP WITH TIME ZONE} in UTC to the microsecond
 * (what H2 and PostgreSQL keep; in SQLite, text of a fixed width), params as a JSON object, and the
 * columns each record is read from.
 */
final class Rows {
  static final String RUN_COLUMNS =
      "run_id, job, slot_time, run_trigger, params, status, queued_at, started_at,"
          + " finished_at, rows_written, bytes_written, files_written, manifest, error, log_file,"
          + " schema_drift, inputs";
  static final String ATTEMPT_COLUMNS =
      "run_id, attempt, started_at, finished_at, exit_code, error, host, pid";
  static final String LOCK_COLUMNS = "job, run_id, owner, acquired_at, heartbeat_at";
  static final String WATERMARK_COLUMNS = "job, mode, reached, run_id, updated_at";
  static final String NOTIFICATION_COLUMNS =
      "run_id, channel, target, attempt, status, error, sent_at";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Times in SQLite: UTC, to the microsecond, always 27 characters, so text order is time order.
   */
  private static final DateTimeFormatter SQLITE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final TypeReference<LinkedHashMap<String, String>> PARAMS =
      new TypeReference<>() {};

  private Rows() {}

  /** The time as the database keeps it: UTC, whole microseconds. */
  static Instant stored(Instant time) {
    return time.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Binds each value in order, with the JDBC type each needs (times as UTC offsets, empty as null).
   */
  static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i] instanceof Optional<?> optional ? optional.orElse(null) : values[i];
      if (value instanceof Instant time && isSqlite(statement)) {
        statement.setString(i + 1, SQLITE_TIME.format(stored(time)));
      } else if (value instanceof Instant time) {
        statement.setObject(i + 1, OffsetDateTime.ofInstant(stored(time), ZoneOffset.UTC));
      } else if (value == null) {
        statement.setNull(i + 1, Types.NULL);
      } else {
        statement.setObject(i + 1, value);
      }
    }
    return statement;
  }

  static Run run(ResultSet rs) throws SQLException {
    return new Run(
        rs.getString("run_id"),
        rs.getString("job"),
        time(rs, "slot_time"),
        Trigger.of(rs.getString("run_trigger")),
        params(rs.getString("params")),
        status(rs.getString("status")),
        time(rs, "queued_at").orElseThrow(),
        time(rs, "started_at"),
        time(rs, "finished_at"),
        number(rs, "rows_written"),
        number(rs, "bytes_written"),
        number(rs, "files_written"),
        Optional.ofNullable(rs.getString("manifest")),
        Optional.ofNullable(rs.getString("error")),
        Optional.ofNullable(rs.getString("log_file")),
        Optional.ofNullable(rs.getString("schema_drift")),
        Optional.ofNullable(rs.getString("inputs")));
  }

  static Attempt attempt(ResultSet rs) throws SQLException {
    return new Attempt(
        rs.getString("run_id"),
        rs.getInt("attempt"),
        time(rs, "started_at").orElseThrow(),
        time(rs, "finished_at"),
        number(rs, "exit_code").map(Long::intValue),
        Optional.ofNullable(rs.getString("error")),
        new Worker(rs.getString("host"), rs.getLong("pid")));
  }

  static Lock lock(ResultSet rs) throws SQLException {
    return new Lock(
        rs.getString("job"),
        rs.getString("run_id"),
        rs.getString("owner"),
        time(rs, "acquired_at").orElseThrow(),
        time(rs, "heartbeat_at").orElseThrow());
  }

  static ExportLeaseRecord exportLease(ResultSet rs) throws SQLException {
    return new ExportLeaseRecord(
        rs.getString("export_root"),
        rs.getString("job"),
        rs.getString("run_id"),
        new Worker(rs.getString("host"), rs.getLong("pid")),
        time(rs, "acquired_at").orElseThrow(),
        time(rs, "heartbeat_at").orElseThrow());
  }

  static Watermark watermark(ResultSet rs) throws SQLException {
    return new Watermark(
        rs.getString("job"),
        rs.getString("mode"),
        rs.getString("reached"),
        Optional.ofNullable(rs.getString("run_id")),
        time(rs, "updated_at").orElseThrow());
  }

  static Notification notification(ResultSet rs) throws SQLException {
    return notification(rs.getString("run_id"), rs);
  }

  /** A notification row about {@code runId} (an alert's rows have no run id column). */
  static Notification notification(String runId, ResultSet rs) throws SQLException {
    String delivery = rs.getString("status");
    return new Notification(
        runId,
        rs.getString("channel"),
        rs.getString("target"),
        rs.getInt("attempt"),
        Notification.Delivery.valueOf(delivery.toUpperCase(Locale.ROOT)),
        Optional.ofNullable(rs.getString("error")),
        time(rs, "sent_at").orElseThrow());
  }

  static ScheduleState scheduleState(ResultSet rs) throws SQLException {
    boolean enabled = rs.getBoolean("enabled");
    Optional<Boolean> override = rs.wasNull() ? Optional.empty() : Optional.of(enabled);
    return new ScheduleState(
        rs.getString("job"),
        override,
        time(rs, "paused_until"),
        time(rs, "updated_at").orElseThrow());
  }

  /** Every row of the query, read by {@code reader}. */
  static <T> List<T> all(PreparedStatement statement, Reader<T> reader) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
      return rows;
    }
  }

  static <T> Optional<T> first(PreparedStatement statement, Reader<T> reader) throws SQLException {
    statement.setMaxRows(1);
    return all(statement, reader).stream().findFirst();
  }

  static String json(Map<String, String> params) {
    try {
      return JSON.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write params as JSON: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> params(String json) {
    try {
      return JSON.readValue(json, PARAMS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot read params from the run history: " + e.getMessage(), e);
    }
  }

  private static RunStatus status(String text) {
    return RunStatus.of(text)
        .orElseThrow(() -> new IllegalStateException("unknown status in the run history: " + text));
  }

  static Optional<Instant> time(ResultSet rs, String column) throws SQLException {
    if (isSqlite(rs)) {
      return Optional.ofNullable(rs.getString(column)).map(Instant::parse);
    }
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }

  /**
   * SQLite keeps any value in any column: times are text there, in a form that sorts as the time
   * does.
   */
  private static boolean isSqlite(Object jdbc) {
    return jdbc.getClass().getName().startsWith("org.sqlite.");
  }

  private static Optional<Long> number(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }

  /** Reads one record from the current row. */
  @FunctionalInterface
  interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }
}
