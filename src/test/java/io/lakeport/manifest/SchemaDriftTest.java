package io.lakeport.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.manifest.Manifest.ColumnInfo;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Schema diffs between two column lists, each kind of change found and given its action. */
class SchemaDriftTest {
  private static final Function<SchemaDrift.Kind, String> KIND_AS_ACTION =
      kind -> kind == SchemaDrift.Kind.REMOVED ? SchemaDrift.FAIL : SchemaDrift.WARN;

  @Test
  void findsEveryKindOfChangeInTheOrderOfTheNewColumns() {
    List<ColumnInfo> before =
        List.of(
            new ColumnInfo("id", "bigint", false),
            new ColumnInfo("city", "string", true),
            new ColumnInfo("note", "string", true),
            new ColumnInfo("amount", "int", true),
            new ColumnInfo("qty", "bigint", true),
            new ColumnInfo("total", "int", false));
    List<ColumnInfo> after =
        List.of(
            new ColumnInfo("id", "bigint", false),
            new ColumnInfo("town", "string", true),
            new ColumnInfo("amount", "bigint", true),
            new ColumnInfo("qty", "int", true),
            new ColumnInfo("total", "int", true),
            new ColumnInfo("extra", "double", true));

    List<SchemaDrift.Change> changes =
        SchemaDrift.diff(before, after, Map.of("city", "town"), KIND_AS_ACTION);

    assertThat(changes)
        .extracting(
            SchemaDrift.Change::kind,
            SchemaDrift.Change::column,
            SchemaDrift.Change::before,
            SchemaDrift.Change::after,
            SchemaDrift.Change::action)
        .containsExactly(
            Tuple.tuple("renamed", "town", "city", "town", "warn"),
            Tuple.tuple("widened", "amount", "int", "bigint", "warn"),
            Tuple.tuple("type-changed", "qty", "bigint", "int", "warn"),
            Tuple.tuple("nullability", "total", "not null", "nullable", "warn"),
            Tuple.tuple("added", "extra", null, "double", "warn"),
            Tuple.tuple("removed", "note", "string", null, "fail"));
    assertThat(new SchemaDrift("run r1", changes).describe())
        .isEqualTo(
            "town: renamed from city (renamed, warn); amount: int -> bigint (widened, warn);"
                + " qty: bigint -> int (type-changed, warn);"
                + " total: not null -> nullable (nullability, warn);"
                + " extra: added as double (added, warn); note: removed (was string) (removed, fail)");
  }

  @Test
  void aRenameTheOldExportAlreadyHadIsNoChangeAndAnUnusedOneIsAnAddAndARemove() {
    List<ColumnInfo> town = List.of(new ColumnInfo("town", "string", true));
    assertThat(SchemaDrift.diff(town, town, Map.of("city", "town"), KIND_AS_ACTION)).isEmpty();

    List<SchemaDrift.Change> changes =
        SchemaDrift.diff(
            List.of(new ColumnInfo("city", "string", true)),
            List.of(new ColumnInfo("place", "string", true)),
            Map.of("city", "town"),
            KIND_AS_ACTION);
    assertThat(changes)
        .extracting(SchemaDrift.Change::kind, SchemaDrift.Change::column)
        .containsExactly(Tuple.tuple("added", "place"), Tuple.tuple("removed", "city"));
  }

  @Test
  void aRenamedColumnWhoseTypeChangedTooReportsBoth() {
    List<SchemaDrift.Change> changes =
        SchemaDrift.diff(
            List.of(new ColumnInfo("n", "int", true)),
            List.of(new ColumnInfo("count", "bigint", true)),
            Map.of("n", "count"),
            KIND_AS_ACTION);
    assertThat(changes)
        .extracting(SchemaDrift.Change::kind, SchemaDrift.Change::before)
        .containsExactly(Tuple.tuple("renamed", "n"), Tuple.tuple("widened", "int"));
  }

  @ParameterizedTest(name = "{0} -> {1}: widens {2}")
  @CsvSource({
    "tinyint, smallint, true",
    "smallint, int, true",
    "int, bigint, true",
    "bigint, int, false",
    "int, int, false",
    "int, double, true",
    "bigint, double, true",
    "float, double, true",
    "double, float, false",
    "int, float, false",
    "int, 'decimal(10,0)', true",
    "int, 'decimal(11,2)', false",
    "bigint, 'decimal(20,0)', true",
    "bigint, 'decimal(19,0)', false",
    "'decimal(10,2)', 'decimal(12,2)', true",
    "'decimal(10,2)', 'decimal(12,4)', true",
    "'decimal(10,2)', 'decimal(11,3)', true",
    "'decimal(10,2)', 'decimal(11,4)', false",
    "'decimal(10,2)', 'decimal(10,1)', false",
    "'decimal(10,2)', double, false",
    "date, timestamp, true",
    "date, timestamp_ntz, true",
    "timestamp, date, false",
    "'varchar(10)', string, true",
    "'varchar(10)', 'varchar(20)', true",
    "'varchar(20)', 'varchar(10)', false",
    "string, 'varchar(10)', false",
    "int, string, false",
    "string, int, false",
    "'struct<a:int>', 'struct<a:bigint>', false"
  })
  void widening(String from, String to, boolean widens) {
    assertThat(SchemaDrift.widens(from, to)).isEqualTo(widens);
  }

  @Test
  void roundTripsThroughJsonAsTheHistoryKeepsIt() throws Exception {
    SchemaDrift drift =
        new SchemaDrift(
            "run 20261207T101500000Z-3fa2c1",
            List.of(
                new SchemaDrift.Change("added", "extra", null, "double", "warn"),
                new SchemaDrift.Change("removed", "note", "string", null, "fail")));

    String json = drift.toJson();

    assertThat(json).contains("\"compared_with\"", "\"changes\"");
    assertThat(SchemaDrift.fromJson(json)).isEqualTo(drift);
    assertThat(drift.withAction(SchemaDrift.FAIL))
        .extracting(SchemaDrift.Change::column)
        .containsExactly("note");
  }
}
