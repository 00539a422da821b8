package io.lakeport.config;

import static java.util.Objects.requireNonNull;

/**
 * What a run does when its output schema differs from the previous export's ({@code schema-drift}):
 * per kind of change, {@code allow} (publish, record it), {@code warn} (publish, record it, log it
 * and send a {@code schema-changed} notification) or {@code fail} (publish nothing, keep the
 * previous export, exit 5).
 */
public record SchemaDriftSpec(
    Action onAdded,
    Action onRemoved,
    Action onRenamed,
    Action onWidened,
    Action onTypeChange,
    Action onNullability,
    Origin origin) {
  /** What a change of a kind does. */
  public enum Action {
    ALLOW,
    WARN,
    FAIL;

    /** The spelling in job files and manifests: {@code warn}. */
    public String text() {
      return Section.keyName(this);
    }
  }

  public SchemaDriftSpec {
    requireNonNull(onAdded, "onAdded is null");
    requireNonNull(onRemoved, "onRemoved is null");
    requireNonNull(onRenamed, "onRenamed is null");
    requireNonNull(onWidened, "onWidened is null");
    requireNonNull(onTypeChange, "onTypeChange is null");
    requireNonNull(onNullability, "onNullability is null");
    requireNonNull(origin, "origin is null");
  }
}
