package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.PreparedStatement;
import java.util.Optional;

/**
 * Where incremental jobs got to, as the run history keeps it: one row per watermark reached, the
 * newest one the job's. Obtained from {@link HistoryStore#watermarks()}.
 */
public final class Watermarks {
  private final HistoryDatabase database;

  Watermarks(HistoryDatabase database) {
    this.database = database;
  }

  /** Records where an incremental job got to. */
  public void recordWatermark(Watermark watermark) {
    database.transaction(
        "record the watermark of job " + watermark.job(),
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO watermarks ("
                      + Rows.WATERMARK_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?)")) {
            return bind(
                    insert,
                    watermark.job(),
                    watermark.mode(),
                    watermark.reached(),
                    watermark.runId(),
                    watermark.updatedAt())
                .executeUpdate();
          }
        });
  }

  /** The job's newest watermark. */
  public Optional<Watermark> watermark(String job) {
    return database.transaction(
        "read the watermark of job " + job,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + Rows.WATERMARK_COLUMNS
                      + " FROM watermarks WHERE job = ? ORDER BY updated_at DESC, id DESC")) {
            return Rows.first(bind(select, job), Rows::watermark);
          }
        });
  }
}
