package io.lakeport.plan;

import io.lakeport.config.Param;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.analysis.NamedParameter;
import org.apache.spark.sql.catalyst.analysis.PosParameter;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal$;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Binds a job's parameters into its SQL strings as typed literals: {@code email = :dept} with
 * {@code dept = x' OR 1=1 --} becomes {@code email = ('x\' OR 1=1 --')}, a comparison with that
 * text and nothing else. The markers are found by Spark's own parser (so a {@code :name} inside a
 * quoted string, a comment or a {@code ::} cast is left alone), and each value is written by
 * Spark's own literal syntax, in parentheses so that a negative number cannot join a minus sign
 * before it into a comment. A list parameter becomes a comma-separated list of literals, for {@code
 * x IN (:list)}.
 */
public final class SqlParameters {
  private SqlParameters() {}

  /** A {@code :name} marker in a SQL string, where Spark's parser found it. */
  record Marker(String name, int start, int stop) {}

  /**
   * {@code sql} with each {@code :name} of a parameter in {@code params} replaced by its value as a
   * literal. Markers of names that are not parameters are left for {@link SqlSyntax} to report, and
   * text that does not parse is returned as it is for Spark to report.
   */
  public static String bind(String sql, Map<String, Param> params) {
    List<Marker> markers;
    try {
      markers = markers(CatalystSqlParser$.MODULE$.parseExpression(sql));
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        return sql;
      }
      throw e;
    }
    StringBuilder bound = new StringBuilder(sql);
    markers.stream()
        .filter(marker -> params.containsKey(marker.name()))
        .sorted(Comparator.comparingInt(Marker::start).reversed())
        .forEach(
            marker ->
                bound.replace(
                    marker.start(), marker.stop() + 1, literal(params.get(marker.name()))));
    return bound.toString();
  }

  /** The named markers of a parsed expression, in the order they appear. */
  static List<Marker> markers(Expression parsed) {
    List<Marker> markers = new ArrayList<>();
    for (Expression leaf : CollectionConverters.asJava(parsed.collectLeaves())) {
      if (leaf instanceof NamedParameter named) {
        int start = (Integer) leaf.origin().startIndex().get();
        int stop = (Integer) leaf.origin().stopIndex().get();
        markers.add(new Marker(named.name(), start, stop));
      }
    }
    markers.sort(Comparator.comparingInt(Marker::start));
    return markers;
  }

  /**
   * Whether a parsed expression holds a positional {@code ?} marker, which Lakeport cannot bind.
   */
  static boolean hasPositional(Expression parsed) {
    return CollectionConverters.asJava(parsed.collectLeaves()).stream()
        .anyMatch(leaf -> leaf instanceof PosParameter);
  }

  /** The value of {@code param} as Spark SQL literal text. */
  static String literal(Param param) {
    Object value = param.value();
    if (value instanceof List<?> list) {
      return list.stream().map(SqlParameters::scalar).collect(Collectors.joining(", "));
    }
    return switch (param.type()) {
      case DATE -> scalar(LocalDate.parse((String) value));
      case TIMESTAMP -> scalar(Instant.parse((String) value));
      default -> scalar(value);
    };
  }

  private static String scalar(Object value) {
    if (value instanceof Instant instant) {
      // an instant in UTC, whatever the session's zone: the parser reads the zone it names
      return "(TIMESTAMP '" + instant + "')";
    }
    return "(" + Literal$.MODULE$.apply(value).sql() + ")";
  }
}
