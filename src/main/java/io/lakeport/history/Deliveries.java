package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.PreparedStatement;
import java.util.List;

/**
 * The notification deliveries of runs, as the run history keeps them: one row per try of a
 * notification on a channel, sent or failed. Obtained from {@link HistoryStore#deliveries()}.
 */
public final class Deliveries {
  private final HistoryDatabase database;

  Deliveries(HistoryDatabase database) {
    this.database = database;
  }

  /** Records one delivery attempt of a notification about a run. */
  public void recordNotification(Notification notification) {
    database.transaction(
        "record a notification of run " + notification.runId(),
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO notifications ("
                      + Rows.NOTIFICATION_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            return bind(
                    insert,
                    notification.runId(),
                    notification.channel(),
                    notification.target(),
                    notification.attempt(),
                    notification.delivery().text(),
                    notification.error(),
                    notification.sentAt())
                .executeUpdate();
          }
        });
  }

  /** The run's notification deliveries, oldest first. */
  public List<Notification> notifications(String runId) {
    return database.transaction(
        "read the notifications of run " + runId,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + Rows.NOTIFICATION_COLUMNS
                      + " FROM notifications WHERE run_id = ? ORDER BY sent_at, id")) {
            return Rows.all(bind(select, runId), Rows::notification);
          }
        });
  }
}
