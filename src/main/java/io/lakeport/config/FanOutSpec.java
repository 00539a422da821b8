package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One run of the job per value of a parameter ({@code fan-out}): each run has {@code param} set to
 * its value, and so its own export path, manifest, notifications and history record. The values are
 * written in the job or listed in a file beside it; each must be able to name a folder.
 */
public record FanOutSpec(String param, List<String> values, Origin origin) {
  public FanOutSpec {
    requireNonNull(param, "param is null");
    values = List.copyOf(values);
    requireNonNull(origin, "origin is null");
  }
}
