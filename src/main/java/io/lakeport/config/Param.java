package io.lakeport.config;

import static java.util.Objects.requireNonNull;

/**
 * A parameter's value for one run: typed (a {@code String}, {@code Integer}, {@code Long}, {@code
 * Double}, {@code Boolean} or {@code List<String>}; dates and timestamps as ISO text), and where it
 * came from ({@code --param}, the job file, or built in).
 */
public record Param(String name, ParamType type, Object value, Origin origin) {
  public Param {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(value, "value is null");
    requireNonNull(origin, "origin is null");
  }
}
