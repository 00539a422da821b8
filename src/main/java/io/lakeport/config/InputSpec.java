package io.lakeport.config;

import static java.util.Objects.requireNonNull;

/**
 * One named input of a job: an entry of {@code sources { orders { ... } }}, or the single {@code
 * source} block, named {@value #SINGLE}. The name qualifies its columns in a join condition ({@code
 * orders.customer_id}) and names it in the manifest, the history and messages.
 */
public record InputSpec(String name, SourceSpec source) {
  /** The name of a job's only input when it is written as {@code source { ... }}. */
  public static final String SINGLE = "source";

  public InputSpec {
    requireNonNull(name, "name is null");
    requireNonNull(source, "source is null");
  }
}
