package io.lakeport.history;

import io.lakeport.config.HistorySettings;
import java.time.Clock;

/**
 * The run history, opened from {@code lakeport.history} with the schema brought up to date, and
 * closed when done. What it keeps is reached by concern: the runs and their attempts ({@link
 * #runLog()}), the schedulers' job locks ({@link #locks()}), the leases of exports ({@link
 * #leases()}), the scheduler's state of each job ({@link #schedules()}), watermarks ({@link
 * #watermarks()}), notification deliveries ({@link #deliveries()}), what runs add up to ({@link
 * #totals()}) and the alerts about them ({@link #alerts()}). Every time comes from the clock it is
 * opened with. Races between schedulers (two claiming a slot, two taking over a stale lock) are
 * settled by the database: exactly one wins, the others get an empty answer.
 */
public final class HistoryStore implements AutoCloseable {
  private final HistoryDatabase database;
  private final RunLog runLog;
  private final JobLocks locks;
  private final ExportLeaseLedger leases;
  private final ScheduleStates schedules;
  private final Watermarks watermarks;
  private final Deliveries deliveries;
  private final RunTotals totals;
  private final AlertLog alerts;

  private HistoryStore(HistoryDatabase database, HistorySettings settings, Clock clock) {
    this.database = database;
    this.runLog = new RunLog(database, clock);
    this.locks = new JobLocks(database, settings, clock);
    this.leases = new ExportLeaseLedger(database, settings, clock);
    this.schedules = new ScheduleStates(database, clock);
    this.watermarks = new Watermarks(database);
    this.deliveries = new Deliveries(database);
    this.totals = new RunTotals(database);
    this.alerts = new AlertLog(database, clock);
  }

  /**
   * Opens the history the settings name, creating or upgrading its tables, and records as {@code
   * lost} the runs of this machine whose process died without recording their end.
   */
  public static HistoryStore open(HistorySettings settings, Clock clock) {
    HistoryStore store = new HistoryStore(HistoryDatabase.open(settings), settings, clock);
    try {
      store.runLog().recordLost();
    } catch (HistoryException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** The runs from queued to their end, their attempts and the requests to cancel them. */
  public RunLog runLog() {
    return runLog;
  }

  /** The schedulers' job locks, one run per job active. */
  public JobLocks locks() {
    return locks;
  }

  /** The leases of exports, shared by every process and host that uses this history. */
  public ExportLeaseLedger leases() {
    return leases;
  }

  /** The scheduler's state of each job: enabled or disabled overrides, pauses, last slots. */
  public ScheduleStates schedules() {
    return schedules;
  }

  /** Where incremental jobs got to. */
  public Watermarks watermarks() {
    return watermarks;
  }

  /** The notification deliveries of runs. */
  public Deliveries deliveries() {
    return deliveries;
  }

  /** What runs add up to: counts of ended runs that only grow, and counts by status now. */
  public RunTotals totals() {
    return totals;
  }

  /** The alerts the scheduler raised and cleared, and their notifications. */
  public AlertLog alerts() {
    return alerts;
  }

  @Override
  public void close() {
    database.close();
  }
}
