package io.lakeport.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenLineage run ids and parents as Lakeport derives and reads them. */
class RunLineageTest {
  @Test
  void aParentFromAnAirflowTaskKeepsItsUuidOrNamesOne() {
    RunLineage.Parent provider =
        RunLineage.Parent.parse("default/orders_dag.run/0190f1a2-7b3c-7d4e-8f50-1a2b3c4d5e6f");
    assertThat(provider)
        .isEqualTo(
            new RunLineage.Parent(
                "default",
                "orders_dag.run",
                UUID.fromString("0190f1a2-7b3c-7d4e-8f50-1a2b3c4d5e6f")));

    // as the generated DAG names a task when the OpenLineage provider is not installed
    RunLineage.Parent named =
        RunLineage.Parent.parse(
            "airflow/org-assignments-active.run/scheduled__2026-11-24T08:00:00+00:00");
    assertThat(named.namespace()).isEqualTo("airflow");
    assertThat(named.job()).isEqualTo("org-assignments-active.run");
    assertThat(named.runId())
        .isEqualTo(
            UUID.nameUUIDFromBytes(
                "scheduled__2026-11-24T08:00:00+00:00".getBytes(StandardCharsets.UTF_8)));
    assertThat(RunLineage.Parent.parse("team/a/b/job/run").namespace())
        .as("the namespace may hold slashes")
        .isEqualTo("team/a/b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "run", "job/run", "/job/run", "ns//run", "ns/job/", "ns/job/run\n"})
  void aParentThatIsNotNamespaceJobRunIsRefused(String text) {
    assertThatThrownBy(() -> RunLineage.Parent.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("\n");
  }

  @Test
  void runIdsAreVersion7UuidsInTheRunsTimeOrder() {
    UUID first = RunLineage.runUuid("20261207T020000000Z-5c4e1d");
    UUID later = RunLineage.runUuid("20261207T020000001Z-000000");

    assertThat(first.version()).isEqualTo(7);
    assertThat(first.variant()).isEqualTo(2);
    assertThat(first.getMostSignificantBits() >>> 16)
        .isEqualTo(Instant.parse("2026-12-07T02:00:00Z").toEpochMilli());
    assertThat(first).isEqualTo(RunLineage.runUuid("20261207T020000000Z-5c4e1d"));
    assertThat(first.toString().compareTo(later.toString())).isNegative();
    assertThat(RunLineage.runUuid("20261207T020000000Z-5c4e1e")).isNotEqualTo(first);
  }
}
