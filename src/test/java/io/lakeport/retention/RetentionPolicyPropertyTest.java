package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.config.RetentionSpec;
import io.lakeport.config.RetentionSpec.AgeOf;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random histories of exports (ages, sizes, unreadable manifests, exports without a logical date)
 * and random policies: the plan must match an independent model of the policy's stated semantics,
 * and every safety rule must hold.
 */
class RetentionPolicyPropertyTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  record History(List<Export> exports, RetentionSpec spec) {}

  @Property(tries = 1000)
  void planMatchesTheModelAndKeepsEverySafetyRule(@ForAll("histories") History history) {
    RetentionPolicy.Verdict verdict =
        new RetentionPolicy(history.spec(), ZONE).decide(history.exports(), NOW);

    Model model = new Model(history.spec(), history.exports(), NOW, ZONE);
    Set<String> removed =
        verdict.removed().stream().map(d -> d.export().runId()).collect(Collectors.toSet());
    assertThat(removed).as("removed exports").isEqualTo(model.removed());
    assertThat(verdict.refusal().isPresent()).as("refused").isEqualTo(model.refused());
    assertThat(verdict.decisions()).hasSize(history.exports().size());

    // safety, stated directly
    List<Export> readable =
        history.exports().stream()
            .filter(Export::readable)
            .sorted(Comparator.comparing(Export::runId).reversed())
            .toList();
    if (!readable.isEmpty()) {
      assertThat(removed).as("the newest published export").doesNotContain(readable.get(0).runId());
    }
    history.exports().stream()
        .filter(e -> !e.readable())
        .forEach(e -> assertThat(removed).as("unreadable manifest").doesNotContain(e.runId()));
    history.exports().stream()
        .filter(
            e ->
                Duration.between(e.publishedAt(), NOW)
                        .compareTo(Duration.ofDays(history.spec().minimumDays()))
                    < 0)
        .forEach(e -> assertThat(removed).as("inside the floor").doesNotContain(e.runId()));
    if (!history.exports().isEmpty()) {
      assertThat(removed).as("never every export").hasSizeLessThan(history.exports().size());
    }
    if (verdict.refusal().isPresent()) {
      assertThat(removed).as("a refused policy deletes nothing").isEmpty();
    }
    verdict.decisions().stream()
        .filter(d -> d.action() == Decision.Action.KEEP)
        .forEach(d -> assertThat(d.reasons()).as("a kept export says why").isNotEmpty());
    verdict
        .removed()
        .forEach(
            d ->
                assertThat(d.action())
                    .isEqualTo(
                        history.spec().archive().isPresent()
                            ? Decision.Action.ARCHIVE_AND_DELETE
                            : Decision.Action.DELETE));
  }

  /** The policy as the documentation states it, written independently of the planner. */
  static final class Model {
    private final RetentionSpec spec;
    private final List<Export> exports;
    private final Instant now;
    private final ZoneId zone;

    Model(RetentionSpec spec, List<Export> exports, Instant now, ZoneId zone) {
      this.spec = spec;
      this.exports = exports;
      this.now = now;
      this.zone = zone;
    }

    List<Export> readableNewestFirst() {
      List<Export> readable =
          new ArrayList<>(exports.stream().filter(e -> e.problem().isEmpty()).toList());
      readable.sort((a, b) -> b.runId().compareTo(a.runId()));
      return readable;
    }

    boolean anyRule() {
      RetentionSpec.Keep k = spec.keep();
      return k.days().isPresent() || k.last().isPresent() || k.maxBytes().isPresent();
    }

    boolean keptByRules(Export export) {
      List<Export> readable = readableNewestFirst();
      int position = readable.indexOf(export);
      RetentionSpec.Keep k = spec.keep();
      boolean byLast = k.last().isPresent() && position < k.last().getAsInt();
      boolean byDays = k.days().isPresent() && ageInDays(export) < k.days().getAsInt();
      long newerAndItself =
          readable.subList(0, position + 1).stream().mapToLong(Export::bytes).sum();
      boolean bySize = k.maxBytes().isPresent() && newerAndItself <= k.maxBytes().getAsLong();
      return byLast || byDays || bySize;
    }

    long ageInDays(Export export) {
      if (spec.keep().ageOf() == AgeOf.LOGICAL_DATE && export.logicalDate().isPresent()) {
        return export.logicalDate().get().until(now.atZone(zone).toLocalDate(), ChronoUnit.DAYS);
      }
      return (now.toEpochMilli() - export.publishedAt().toEpochMilli()) / 86_400_000L;
    }

    boolean refused() {
      List<Export> readable = readableNewestFirst();
      return anyRule() && !readable.isEmpty() && readable.stream().noneMatch(this::keptByRules);
    }

    Set<String> removed() {
      if (!anyRule() || refused()) {
        return Set.of();
      }
      List<Export> readable = readableNewestFirst();
      return readable.stream()
          .filter(e -> e != readable.get(0))
          .filter(e -> !keptByRules(e))
          .filter(
              e ->
                  now.toEpochMilli() - e.publishedAt().toEpochMilli()
                      >= spec.minimumDays() * 86_400_000L)
          .map(Export::runId)
          .collect(Collectors.toSet());
    }
  }

  @Provide
  Arbitrary<History> histories() {
    Arbitrary<Export> export =
        Combinators.combine(
                Arbitraries.integers().between(0, 400 * 24), // published this many hours ago
                Arbitraries.integers()
                    .between(-1, 3), // logical date this many days before publishing; -1: none
                Arbitraries.longs().between(0, 5_000), // bytes present
                Arbitraries.integers().between(0, 20), // 0: unreadable manifest
                Arbitraries.integers().between(0, 0xffffff))
            .as(
                (hoursAgo, lag, bytes, readable, suffix) -> {
                  Instant published = NOW.minus(Duration.ofHours(hoursAgo));
                  Optional<LocalDate> logical =
                      lag < 0
                          ? Optional.empty()
                          : Optional.of(published.atZone(ZONE).toLocalDate().minusDays(lag));
                  return new Export(
                      ExportWriter.runId(published.minusSeconds(30), suffix),
                      logical,
                      published,
                      bytes,
                      (int) (bytes / 100),
                      readable == 0 ? Optional.of("not a Lakeport manifest") : Optional.empty());
                });
    Arbitrary<List<Export>> exports = export.list().ofMaxSize(40).uniqueElements(Export::runId);
    Arbitrary<RetentionSpec> spec =
        Combinators.combine(
                Arbitraries.integers().between(0, 120).injectNull(0.4),
                Arbitraries.of(AgeOf.class),
                Arbitraries.integers().between(1, 15).injectNull(0.4),
                Arbitraries.longs().between(1, 60_000).injectNull(0.5),
                Arbitraries.integers().between(0, 30),
                Arbitraries.of(true, false))
            .as(
                (days, ageOf, last, maxBytes, floor, archive) ->
                    new RetentionSpec(
                        new RetentionSpec.Keep(
                            days == null
                                ? OptionalInt.empty()
                                : OptionalInt.of(Math.max(days, floor)),
                            ageOf,
                            last == null ? OptionalInt.empty() : OptionalInt.of(last),
                            maxBytes == null ? OptionalLong.empty() : OptionalLong.of(maxBytes)),
                        floor,
                        Duration.ofHours(24),
                        archive
                            ? Optional.of(
                                new RetentionSpec.Archive(
                                    "/archive",
                                    RetentionSpec.Archive.Format.TAR_GZ,
                                    OptionalInt.empty()))
                            : Optional.empty(),
                        new RetentionSpec.Delta(Optional.empty(), Optional.empty()),
                        Optional.empty()));
    return Combinators.combine(exports, spec).as(History::new);
  }
}
