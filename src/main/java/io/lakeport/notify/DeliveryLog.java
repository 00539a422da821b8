package io.lakeport.notify;

import io.lakeport.config.HistorySettings;
import io.lakeport.history.Alert;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import java.time.Clock;

/**
 * Where each try of a notification is recorded: the run history's {@code notifications} table, or
 * for an alert's, {@code alert_notifications}.
 */
public interface DeliveryLog {
  void record(Notification notification);

  /** Records a try of a notification about an alert. */
  void record(Alert alert, Notification notification);

  /** Records in an open history (the scheduler's). */
  static DeliveryLog of(HistoryStore store) {
    return new DeliveryLog() {
      @Override
      public void record(Notification notification) {
        store.deliveries().recordNotification(notification);
      }

      @Override
      public void record(Alert alert, Notification notification) {
        store.alerts().recordNotification(alert, notification);
      }
    };
  }

  /**
   * Opens the history for each record and closes it right after, as {@code lakeport run} records
   * its runs, so an embedded H2 file stays free for other commands.
   */
  static DeliveryLog opening(HistorySettings settings, Clock clock) {
    return new DeliveryLog() {
      @Override
      public void record(Notification notification) {
        try (HistoryStore store = HistoryStore.open(settings, clock)) {
          store.deliveries().recordNotification(notification);
        }
      }

      @Override
      public void record(Alert alert, Notification notification) {
        try (HistoryStore store = HistoryStore.open(settings, clock)) {
          store.alerts().recordNotification(alert, notification);
        }
      }
    };
  }
}
