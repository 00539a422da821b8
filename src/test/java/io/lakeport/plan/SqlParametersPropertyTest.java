package io.lakeport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.config.Origin;
import io.lakeport.config.Param;
import io.lakeport.config.ParamType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.In;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.DataTypes;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A bound parameter is a value and never SQL: whatever text an attacker passes, the bound condition
 * parses (by Spark's own parser, independently of how it was written) into the same comparison with
 * one literal that holds exactly that text.
 */
class SqlParametersPropertyTest {
  private static final Origin CLI = new Origin("--param", 0, "params.dept");

  @Property(tries = 2000)
  void anyTextIsBoundAsOneStringLiteralHoldingExactlyThatText(@ForAll String value) {
    assertBoundAsOneString(value);
  }

  @Example
  void quotesBackslashesCommentsAndMarkersStayInsideTheLiteral() {
    for (String value :
        List.of(
            "x' OR 1=1 --",
            "x\\' OR 1=1 --",
            "\\",
            "'",
            "''",
            "\"",
            "a\nb) OR (1=1",
            "/* open",
            "*/ OR 1=1",
            "${params.other}",
            ":dept",
            "r'raw'",
            "\u0000\u0001",
            "日本語 ✓")) {
      assertBoundAsOneString(value);
    }
  }

  @Property(tries = 300)
  void aNegativeNumberAfterAMinusIsNotAComment(@ForAll @IntRange(min = -1000, max = 1000) int n) {
    String bound = SqlParameters.bind("x = -:n", Map.of("n", param("n", ParamType.INT, n)));

    Expression right = ((EqualTo) parse(bound)).right();
    assertThat(right.eval(null)).isEqualTo(-n);
  }

  @Example
  void markersInsideStringsCommentsAndCastsAreLeftAlone() {
    Map<String, Param> params = Map.of("dept", param("dept", ParamType.STRING, "sales"));

    assertThat(SqlParameters.bind("x = ':dept' and y::string = :dept -- :dept", params))
        .isEqualTo("x = ':dept' and y::string = ('sales') -- :dept");
    assertThat(SqlParameters.bind("`:dept` = :unknown", params)).isEqualTo("`:dept` = :unknown");
  }

  @Example
  void aListBecomesTheValuesOfAnInList() {
    Map<String, Param> params =
        Map.of("depts", param("depts", ParamType.STRING_LIST, List.of("a", "b'c", "d")));

    In in = (In) parse(SqlParameters.bind("dept IN (:depts)", params));

    assertThat(CollectionConverters.asJava(in.list()))
        .map(e -> e.eval(null).toString())
        .containsExactly("a", "b'c", "d");
  }

  @Example
  void datesAndTimestampsAreTypedLiterals() {
    Map<String, Param> params =
        Map.of(
            "day", param("day", ParamType.DATE, "2026-03-29"),
            "at", param("at", ParamType.TIMESTAMP, "2026-03-29T01:30:00Z"));

    Literal day = (Literal) ((EqualTo) parse(SqlParameters.bind("d = :day", params))).right();
    assertThat(day.dataType()).isEqualTo(DataTypes.DateType);
    assertThat(day.value()).isEqualTo((int) LocalDate.parse("2026-03-29").toEpochDay());

    Expression at = ((EqualTo) parse(SqlParameters.bind("t = :at", params))).right();
    assertThat(at.dataType()).isEqualTo(DataTypes.TimestampType);
    assertThat(at.eval(null))
        .as("micros since the epoch of the instant, whatever the session's zone")
        .isEqualTo(Instant.parse("2026-03-29T01:30:00Z").toEpochMilli() * 1000);
  }

  private static void assertBoundAsOneString(String value) {
    String bound =
        SqlParameters.bind("email = :dept", Map.of("dept", param("dept", ParamType.STRING, value)));

    Expression parsed = parse(bound);
    assertThat(parsed).as(bound).isInstanceOf(EqualTo.class);
    Expression right = ((EqualTo) parsed).right();
    assertThat(right.foldable()).as(bound).isTrue();
    assertThat(right.eval(null).toString()).as(bound).isEqualTo(value);
    assertThat(SqlParameters.markers(parsed)).isEmpty();
  }

  private static Expression parse(String sql) {
    return CatalystSqlParser$.MODULE$.parseExpression(sql);
  }

  private static Param param(String name, ParamType type, Object value) {
    return new Param(name, type, value, CLI);
  }
}
