package io.lakeport.plan;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.lakeport.config.Filter;
import io.lakeport.config.Filter.Operator;
import io.lakeport.config.Origin;
import io.lakeport.config.Param;
import io.lakeport.config.PlanSpec.TimeUnit;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Turns a {@link Filter} tree into one Spark {@link Column}. Values are converted to the column's
 * type here, so {@code score gte 0.9} compares numbers and a date bound on a timestamp column is an
 * instant in the job's time zone; on a zone-less column it is the wall-clock time as written.
 * Problems are collected, not thrown.
 */
final class Predicates {
  private final Dataset<Row> input;
  private final StructType schema;
  private final ZoneId zone;
  private final Map<String, Param> params;
  private final PlanProblems problems;

  Predicates(Dataset<Row> input, ZoneId zone, Map<String, Param> params, PlanProblems problems) {
    this.input = input;
    this.schema = input.schema();
    this.zone = zone;
    this.params = params;
    this.problems = problems;
  }

  Optional<Column> compile(Filter filter) {
    if (filter instanceof Filter.And and) {
      return combine(and.filters(), true);
    } else if (filter instanceof Filter.Or or) {
      return combine(or.filters(), false);
    } else if (filter instanceof Filter.Not n) {
      return compile(n.filter()).map(c -> not(c));
    } else if (filter instanceof Filter.Sql sql) {
      Column condition = expr(SqlParameters.bind(sql.expression(), params));
      return problems
          .analyze(sql.origin(), () -> input.filter(condition))
          .map(checked -> condition);
    }
    return predicate((Filter.Predicate) filter);
  }

  private Optional<Column> combine(List<Filter> filters, boolean all) {
    Optional<Column> result = Optional.empty();
    boolean complete = true;
    for (Filter child : filters) {
      Optional<Column> column = compile(child);
      complete &= column.isPresent();
      if (column.isPresent()) {
        result = result.map(r -> all ? r.and(column.get()) : r.or(column.get())).or(() -> column);
      }
    }
    return complete ? result : Optional.empty();
  }

  private Optional<Column> predicate(Filter.Predicate p) {
    Optional<StructField> field = field(p.column());
    if (field.isEmpty()) {
      problems.unknownColumn(p.origin().child("column"), p.column(), schema);
      return Optional.empty();
    }
    Column column = col(field.get().name());
    DataType type = field.get().dataType();
    Origin values = p.origin().child(key(p.operator()));
    try {
      return Optional.of(
          switch (p.operator()) {
            case IS_NULL -> column.isNull();
            case NOT_NULL -> column.isNotNull();
            case LIKE -> text(column, type, values).like(p.values().get(0));
            case REGEX -> text(column, type, values).rlike(p.values().get(0));
            case IN -> column.isin(literals(p.values(), type, values));
            case NOT_IN -> not(column.isin(literals(p.values(), type, values)));
            case EQ, NE, LT, LTE, GT, GTE, BETWEEN -> comparison(column, type, p, values);
          });
    } catch (IllegalArgumentException e) {
      problems.add(values, e.getMessage(), "");
      return Optional.empty();
    }
  }

  private Column comparison(Column column, DataType type, Filter.Predicate p, Origin origin) {
    List<String> v = p.values();
    if (p.unit().isPresent()
        && (type instanceof TimestampType
            || type instanceof TimestampNTZType
            || type instanceof DateType)) {
      return ranged(column, type, p.operator(), v, p.unit().get());
    }
    Object low = literal(v.get(0), type);
    return switch (p.operator()) {
      case EQ -> column.equalTo(lit(low));
      case NE -> column.notEqual(lit(low));
      case LT -> column.lt(lit(low));
      case LTE -> column.leq(lit(low));
      case GT -> column.gt(lit(low));
      case GTE -> column.geq(lit(low));
      case BETWEEN -> column.geq(lit(low)).and(column.leq(lit(literal(v.get(1), type))));
      default -> throw new IllegalStateException("not a comparison: " + p.operator());
    };
  }

  /** Comparisons on whole units: {@code eq d, unit = day} is every instant of day d, and so on. */
  private Column ranged(
      Column column, DataType type, Operator operator, List<String> v, TimeUnit unit) {
    Object start = boundary(v.get(0), type, unit, false);
    Object end = boundary(v.get(v.size() - 1), type, unit, true);
    return switch (operator) {
      case EQ, BETWEEN -> column.geq(lit(start)).and(column.lt(lit(end)));
      case NE -> column.lt(lit(start)).or(column.geq(lit(end)));
      case LT -> column.lt(lit(start));
      case LTE -> column.lt(lit(end));
      case GT -> column.geq(lit(end));
      case GTE -> column.geq(lit(start));
      default -> throw new IllegalStateException("not a comparison: " + operator);
    };
  }

  private Object boundary(String text, DataType type, TimeUnit unit, boolean after) {
    try {
      if (type instanceof DateType) {
        LocalDate date = Temporal.parse(text, zone).toLocalDate();
        return after ? Temporal.next(date, unit) : Temporal.start(date, unit);
      }
      if (type instanceof TimestampNTZType) {
        LocalDateTime time = Temporal.parseLocal(text, zone);
        return after ? Temporal.next(time, unit) : Temporal.start(time, unit);
      }
      ZonedDateTime time = Temporal.parse(text, zone);
      return (after ? Temporal.next(time, unit) : Temporal.start(time, unit)).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a date or timestamp");
    }
  }

  private Object[] literals(List<String> values, DataType type, Origin origin) {
    return values.stream().map(v -> literal(v, type)).toArray();
  }

  /** The value as a Java object of the column's type, for {@code lit}. */
  private Object literal(String text, DataType type) {
    try {
      if (type instanceof StringType) {
        return text;
      } else if (type instanceof NumericType) {
        return number(new BigDecimal(text), type);
      } else if (type instanceof BooleanType) {
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException("expected true or false, found \"" + text + "\"");
        }
        return Boolean.valueOf(text);
      } else if (type instanceof DateType) {
        return Temporal.parse(text, zone).toLocalDate();
      } else if (type instanceof TimestampType) {
        return Temporal.parse(text, zone).toInstant();
      } else if (type instanceof TimestampNTZType) {
        return Temporal.parseLocal(text, zone);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a number (the column is " + type.simpleString() + "), found \"" + text + "\"");
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected a date or timestamp (the column is "
              + type.simpleString()
              + "), found \""
              + text
              + "\"");
    }
    throw new IllegalArgumentException(
        "cannot compare a " + type.simpleString() + " column with a value");
  }

  /**
   * A number as the column's own type where that loses nothing, so Spark compares without casting
   * the column (and pushes the filter to the source); otherwise the exact decimal.
   */
  private static Object number(BigDecimal value, DataType type) {
    if (type instanceof DoubleType || type instanceof FloatType) {
      return value.doubleValue();
    }
    boolean whole = value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    try {
      if (whole && type instanceof IntegerType) {
        return value.intValueExact();
      }
      if (whole
          && (type instanceof LongType || type instanceof ShortType || type instanceof ByteType)) {
        return value.longValueExact();
      }
    } catch (ArithmeticException e) {
      return value;
    }
    return value;
  }

  private static Column text(Column column, DataType type, Origin origin) {
    return type instanceof StringType ? column : column.cast("string");
  }

  private Optional<StructField> field(String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equalsIgnoreCase(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private static String key(Operator operator) {
    return operator.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
