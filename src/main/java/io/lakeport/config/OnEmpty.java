package io.lakeport.config;

/**
 * What a run that produces no rows does ({@code sink.on-empty}): fail with a clear message (the
 * default: an empty export is more often a broken source than a quiet day), skip (publish nothing
 * and say so), or publish an empty export with its manifest.
 */
public enum OnEmpty {
  FAIL,
  SKIP,
  PUBLISH
}
