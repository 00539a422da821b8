package io.lakeport.notify;

import io.lakeport.config.HistorySettings;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import java.time.Clock;

/** Where each try of a notification is recorded: the run history's {@code notifications} table. */
@FunctionalInterface
public interface DeliveryLog {
  void record(Notification notification);

  /** Records in an open history (the scheduler's). */
  static DeliveryLog of(HistoryStore store) {
    return store.deliveries()::recordNotification;
  }

  /**
   * Opens the history for each record and closes it right after, as {@code lakeport run} records
   * its runs, so an embedded H2 file stays free for other commands.
   */
  static DeliveryLog opening(HistorySettings settings, Clock clock) {
    return notification -> {
      try (HistoryStore store = HistoryStore.open(settings, clock)) {
        store.deliveries().recordNotification(notification);
      }
    };
  }
}
