package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Run ids name manifests, which are found newest-first by name: ids issued at the same instant must
 * still sort in the order they were issued (a watermark test once read an older manifest when two
 * runs started in the same second).
 */
class RunIdTest {
  @Test
  void idsIssuedAtOneInstantSortInIssueOrder() {
    // In the past, so the ids the rest of this JVM issues from the real clock are not pushed after
    // it.
    Clock frozen = Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ids.add(RunId.next(frozen));
    }

    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids.get(0)).matches("20010101T000000\\d{3}Z-[0-9a-f]{6}");
  }
}
