package io.lakeport.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a run's output schema differs from the export it follows: what it was compared with (the
 * previous run's manifest, or a Delta table's schema) and each change, with the action the job's
 * {@code schema-drift} policy took on it ({@code allow}, {@code warn} or {@code fail}). Kept in the
 * manifest, the run history and the {@code schema-changed} notification.
 */
public record SchemaDrift(String comparedWith, List<Change> changes) {
  public static final String ALLOW = "allow";
  public static final String WARN = "warn";
  public static final String FAIL = "fail";

  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  public SchemaDrift {
    requireNonNull(comparedWith, "comparedWith is null");
    changes = List.copyOf(changes);
  }

  /** The kinds of change, spelled as in manifests, payloads and the job's policy keys. */
  public enum Kind {
    /** A column the previous export did not have. */
    ADDED,
    /** A column of the previous export this run does not write. */
    REMOVED,
    /** A column the job's {@code select.rename} renamed since the previous export. */
    RENAMED,
    /**
     * A type every value of the old one fits in: int to bigint, float to double, a wider decimal.
     */
    WIDENED,
    /** Any other change of type: narrower, or of another kind (bigint to int, int to string). */
    TYPE_CHANGED,
    /** A column that may now hold nulls, or no longer may. */
    NULLABILITY;

    /** The spelling in manifests and payloads: {@code type-changed}. */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One change: its kind ({@link Kind#text()}), the column (its new name for a rename), what it was
   * and is (a type, {@code nullable} or {@code not null}, the old name of a renamed column; null
   * where there is nothing), and the policy's action.
   */
  public record Change(String kind, String column, String before, String after, String action) {
    public Change {
      requireNonNull(kind, "kind is null");
      requireNonNull(column, "column is null");
      requireNonNull(action, "action is null");
    }

    /** One line: {@code amount: int -> bigint (widened, warn)}. */
    public String describe() {
      String what =
          switch (kind) {
            case "added" -> "added as " + after;
            case "removed" -> "removed (was " + before + ")";
            case "renamed" -> "renamed from " + before;
            default -> before + " -> " + after;
          };
      return column + ": " + what + " (" + kind + ", " + action + ")";
    }
  }

  /** Whether nothing changed. */
  public boolean unchanged() {
    return changes.isEmpty();
  }

  /** The changes whose action is {@code action}. */
  public List<Change> withAction(String action) {
    return changes.stream().filter(c -> c.action().equals(action)).toList();
  }

  /** Every change on one line, separated by semicolons. */
  public String describe() {
    return changes.stream().map(Change::describe).collect(Collectors.joining("; "));
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SchemaDrift fromJson(String json) throws IOException {
    return JSON.readValue(json, SchemaDrift.class);
  }

  /**
   * The changes from {@code before} to {@code after}, columns matched by name, each given the
   * action {@code policy} says for its kind. {@code renames} (old name to new) turns a column that
   * went away under its old name and came under its new one into a rename; its type and nullability
   * are then compared too. Changes come in the order of the new columns, then the removed ones.
   */
  public static List<Change> diff(
      List<Manifest.ColumnInfo> before,
      List<Manifest.ColumnInfo> after,
      Map<String, String> renames,
      Function<Kind, String> policy) {
    Map<String, Manifest.ColumnInfo> old = byName(before);
    Map<String, Manifest.ColumnInfo> now = byName(after);
    Map<String, String> renamedFrom = new LinkedHashMap<>();
    renames.forEach(
        (from, to) -> {
          if (old.containsKey(from)
              && !now.containsKey(from)
              && now.containsKey(to)
              && !old.containsKey(to)) {
            renamedFrom.put(to, from);
          }
        });
    List<Change> changes = new ArrayList<>();
    for (Manifest.ColumnInfo column : after) {
      String source = renamedFrom.getOrDefault(column.name(), column.name());
      Manifest.ColumnInfo was = old.get(source);
      if (was == null) {
        changes.add(change(Kind.ADDED, column.name(), null, column.type(), policy));
        continue;
      }
      if (!source.equals(column.name())) {
        changes.add(change(Kind.RENAMED, column.name(), source, column.name(), policy));
      }
      if (!was.type().equals(column.type())) {
        Kind kind = widens(was.type(), column.type()) ? Kind.WIDENED : Kind.TYPE_CHANGED;
        changes.add(change(kind, column.name(), was.type(), column.type(), policy));
      }
      if (was.nullable() != column.nullable()) {
        changes.add(
            change(
                Kind.NULLABILITY,
                column.name(),
                nullability(was.nullable()),
                nullability(column.nullable()),
                policy));
      }
    }
    for (Manifest.ColumnInfo column : before) {
      if (!now.containsKey(column.name()) && !renamedFrom.containsValue(column.name())) {
        changes.add(change(Kind.REMOVED, column.name(), column.type(), null, policy));
      }
    }
    return changes;
  }

  private static Change change(
      Kind kind, String column, String before, String after, Function<Kind, String> policy) {
    return new Change(kind.text(), column, before, after, policy.apply(kind));
  }

  private static String nullability(boolean nullable) {
    return nullable ? "nullable" : "not null";
  }

  private static Map<String, Manifest.ColumnInfo> byName(List<Manifest.ColumnInfo> columns) {
    Map<String, Manifest.ColumnInfo> byName = new LinkedHashMap<>();
    columns.forEach(c -> byName.putIfAbsent(c.name(), c));
    return byName;
  }

  private static final List<String> INTEGRAL = List.of("tinyint", "smallint", "int", "bigint");
  private static final int[] INTEGRAL_DIGITS = {3, 5, 10, 20};
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),(\\d+)\\)");
  private static final Pattern VARCHAR = Pattern.compile("(?:var)?char\\((\\d+)\\)");

  /**
   * Whether every value of type {@code from} is a value of type {@code to} (types as Spark writes
   * them in short: {@code int}, {@code decimal(10,2)}): a larger integer, an integer or float to
   * double, an integer to a decimal with room for its digits, a decimal with at least as many
   * digits on each side of the point, a date to a timestamp, a bounded string to a longer one or a
   * string.
   */
  public static boolean widens(String from, String to) {
    int a = INTEGRAL.indexOf(from);
    int b = INTEGRAL.indexOf(to);
    if (a >= 0 && b >= 0) {
      return a < b;
    }
    if (to.equals("double")) {
      return a >= 0 || from.equals("float");
    }
    Matcher toDecimal = DECIMAL.matcher(to);
    if (toDecimal.matches()) {
      int precision = Integer.parseInt(toDecimal.group(1));
      int scale = Integer.parseInt(toDecimal.group(2));
      if (a >= 0) {
        return precision - scale >= INTEGRAL_DIGITS[a];
      }
      Matcher fromDecimal = DECIMAL.matcher(from);
      if (fromDecimal.matches()) {
        int p = Integer.parseInt(fromDecimal.group(1));
        int s = Integer.parseInt(fromDecimal.group(2));
        return scale >= s && precision - scale >= p - s;
      }
      return false;
    }
    if (from.equals("date")) {
      return to.equals("timestamp") || to.equals("timestamp_ntz");
    }
    Matcher fromText = VARCHAR.matcher(from);
    if (fromText.matches()) {
      Matcher toText = VARCHAR.matcher(to);
      return to.equals("string")
          || (toText.matches()
              && to.startsWith("varchar")
              && Integer.parseInt(toText.group(1)) >= Integer.parseInt(fromText.group(1)));
    }
    return false;
  }
}
