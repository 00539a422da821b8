package io.lakeport.config;

import java.time.Duration;

/**
 * {@code lakeport.scheduler} of the site settings: how many runs {@code lakeport scheduler start}
 * keeps going at once, how often it looks for work, after how long a slot that was not queued
 * counts as missed, and the timeout of a schedule without one.
 */
public record SchedulerSettings(int maxConcurrentRuns, Duration tick, Duration missedAfter, Duration defaultTimeout) {}
