package io.lakeport.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.lakeport.config.PlanSpec.Aggregation;
import io.lakeport.config.PlanSpec.Broadcast;
import io.lakeport.config.PlanSpec.Combine;
import io.lakeport.config.PlanSpec.Derivation;
import io.lakeport.config.PlanSpec.Fill;
import io.lakeport.config.PlanSpec.Join;
import io.lakeport.config.PlanSpec.JoinType;
import io.lakeport.config.PlanSpec.Metric;
import io.lakeport.config.PlanSpec.MetricFunction;
import io.lakeport.config.PlanSpec.NullHandling;
import io.lakeport.config.PlanSpec.Rename;
import io.lakeport.config.PlanSpec.Selection;
import io.lakeport.config.PlanSpec.Standardization;
import io.lakeport.config.PlanSpec.TemporalType;
import io.lakeport.config.PlanSpec.TimeBucket;
import io.lakeport.config.PlanSpec.TimeUnit;
import io.lakeport.config.PlanSpec.Union;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code plan} section: standardise, derive, where, nulls, aggregate, select. */
final class PlanReader {
  static final String STANDARDIZE = "standardize";
  static final String DERIVE = "derive";
  static final String WHERE = "where";
  static final String NULLS = "nulls";
  static final String AGGREGATE = "aggregate";
  static final String SELECT = "select";
  static final String JOIN = "join";
  static final String UNION = "union";
  static final String[] KEYS = {JOIN, UNION, STANDARDIZE, DERIVE, WHERE, NULLS, AGGREGATE, SELECT};

  static final String LEFT = "left";
  static final String RIGHT = "right";
  static final String ON = "on";
  static final String CONDITION = "condition";
  static final String TYPE = "type";
  static final String BROADCAST = "broadcast";
  static final String LEFT_PREFIX = "left-prefix";
  static final String RIGHT_PREFIX = "right-prefix";
  static final String INPUTS = "inputs";
  static final String BY_NAME = "by-name";
  static final String ALLOW_MISSING_COLUMNS = "allow-missing-columns";

  static final String TO = "to";
  static final String FROM = "from";
  static final String DROP = "drop";
  static final String FILL = "fill";
  static final String GROUP_BY = "group-by";
  static final String TIME_BUCKET = "time-bucket";
  static final String METRICS = "metrics";
  static final String COLUMN = "column";
  static final String EVERY = "every";
  static final String AS = "as";
  static final String COLUMNS = "columns";
  static final String EXCLUDE = "exclude";
  static final String RENAME = "rename";
  static final String ORDER = "order";

  private static final Pattern METRIC =
      Pattern.compile(
          "\\s*([a-z_]+)\\s*(?:\\(\\s*([A-Za-z_*][A-Za-z0-9_.]*)?\\s*(?:,\\s*([0-9]*\\.?[0-9]+)\\s*)?\\))?\\s*");
  private static final Pattern EVERY_PATTERN =
      Pattern.compile("\\s*(\\d+)?\\s*(minute|hour|day|week|month)s?\\s*");

  private final Section plan;

  PlanReader(Section plan) {
    this.plan = plan;
  }

  PlanSpec read() {
    return new PlanSpec(
        combine(), standardize(), derive(), where(), nulls(), aggregate(), select());
  }

  /** The join or union of a job's inputs; which inputs exist is checked with the job's sources. */
  private Optional<Combine> combine() {
    if (plan.has(JOIN) && plan.has(UNION)) {
      plan.problem(
          UNION,
          "a plan combines its inputs once: a join or a union, not both",
          "Keep one of plan.join and plan.union; to combine three inputs, union two in a job of"
              + " their own and read its export.");
    }
    if (plan.has(JOIN)) {
      return Optional.of(join());
    }
    if (plan.has(UNION)) {
      return Optional.of(union());
    }
    return Optional.empty();
  }

  private Join join() {
    Section section =
        plan.section(JOIN, LEFT, RIGHT, ON, CONDITION, TYPE, BROADCAST, LEFT_PREFIX, RIGHT_PREFIX);
    String left = section.string(LEFT);
    String right = section.string(RIGHT);
    List<String> on = section.stringList(ON);
    Optional<String> condition = section.optionalString(CONDITION).filter(c -> !c.isBlank());
    if (on.isEmpty() == condition.isEmpty()) {
      section.problem(
          condition.isPresent() ? CONDITION : ON,
          on.isEmpty()
              ? "a join needs the columns to match rows on"
              : "a join matches rows on key columns or on a condition, not both",
          "Write on = [customer_id] (columns both inputs have, kept once), or condition = \""
              + left
              + ".customer_id = "
              + right
              + ".id\".");
    }
    if (!left.isEmpty() && left.equals(right)) {
      section.problem(
          RIGHT,
          "a join of input \"" + left + "\" with itself",
          "Declare the data twice under sources, with two names, and join those.");
    }
    return new Join(
        left,
        right,
        on,
        condition,
        section.optionalEnum(TYPE, JoinType.class).orElse(JoinType.INNER),
        section.optionalEnum(BROADCAST, Broadcast.class).orElse(Broadcast.AUTO),
        section.optionalString(LEFT_PREFIX).orElse(""),
        section.optionalString(RIGHT_PREFIX).orElse(""),
        section.origin(),
        origins(section, LEFT, RIGHT, ON, CONDITION, TYPE, LEFT_PREFIX, RIGHT_PREFIX));
  }

  private Union union() {
    Section section = plan.section(UNION, INPUTS, BY_NAME, ALLOW_MISSING_COLUMNS);
    List<String> inputs = section.stringList(INPUTS);
    if (inputs.size() < 2) {
      section.problem(
          INPUTS,
          section.has(INPUTS)
              ? "a union needs at least two inputs, found " + inputs.size()
              : "missing required setting",
          "Write inputs = [a, b] with the names of sources { ... } whose rows go together.");
    }
    if (new HashSet<>(inputs).size() < inputs.size()) {
      section.problem(
          INPUTS,
          "an input is named twice in " + inputs,
          "Name each input once; a union keeps duplicate rows.");
    }
    return new Union(
        inputs,
        section.optionalBoolean(BY_NAME).orElse(true),
        section.optionalBoolean(ALLOW_MISSING_COLUMNS).orElse(false),
        section.origin(),
        origins(section, INPUTS, BY_NAME, ALLOW_MISSING_COLUMNS));
  }

  private List<Standardization> standardize() {
    Section section = plan.section(STANDARDIZE);
    List<Standardization> result = new ArrayList<>();
    for (String column : section.entries("").keySet()) {
      Section entry = section.section(column, TO, FROM);
      TemporalType to = entry.enumValue(TO, TemporalType.class, TemporalType.TIMESTAMP);
      String from = entry.optionalString(FROM).orElse(Standardization.ISO);
      result.add(new Standardization(column, to, from, entry.origin()));
    }
    return result;
  }

  private List<Derivation> derive() {
    Section section = plan.section(DERIVE);
    List<Derivation> result = new ArrayList<>();
    for (String name : section.entries("").keySet()) {
      section
          .optionalString(name)
          .ifPresent(
              expression -> result.add(new Derivation(name, expression, section.origin(name))));
    }
    return result;
  }

  private Optional<Filter> where() {
    if (!plan.has(WHERE)) {
      return Optional.empty();
    }
    return new FilterReader(plan.problems()).read(plan.value(WHERE), plan.full(WHERE));
  }

  private NullHandling nulls() {
    Section section = plan.section(NULLS, DROP, FILL);
    Section fill = section.section(FILL);
    List<Fill> fills = new ArrayList<>();
    for (String column : fill.entries("").keySet()) {
      fill.optionalString(column)
          .ifPresent(value -> fills.add(new Fill(column, value, fill.origin(column))));
    }
    return new NullHandling(
        section.stringList(DROP), fills, section.origin(), origins(section, DROP));
  }

  private Optional<Aggregation> aggregate() {
    if (!plan.has(AGGREGATE)) {
      return Optional.empty();
    }
    Section section = plan.section(AGGREGATE, GROUP_BY, TIME_BUCKET, METRICS);
    Optional<TimeBucket> bucket =
        section.has(TIME_BUCKET)
            ? Optional.of(timeBucket(section.section(TIME_BUCKET, COLUMN, EVERY, AS)))
            : Optional.empty();
    Section metricsSection = section.section(METRICS);
    List<Metric> metrics = new ArrayList<>();
    for (String name : metricsSection.entries("").keySet()) {
      metricsSection
          .optionalString(name)
          .flatMap(text -> metric(metricsSection, name, text))
          .ifPresent(metrics::add);
    }
    if (metricsSection.entries("").isEmpty()) {
      section.problem(
          METRICS, "an aggregation needs at least one metric", "Add metrics { rows = \"count\" }.");
    }
    return Optional.of(
        new Aggregation(
            section.stringList(GROUP_BY),
            bucket,
            metrics,
            section.origin(),
            origins(section, GROUP_BY)));
  }

  private static TimeBucket timeBucket(Section section) {
    String column = section.string(COLUMN);
    String every = section.optionalString(EVERY).orElse("");
    String as = section.optionalString(AS).orElse(column + "_bucket");
    Matcher m = EVERY_PATTERN.matcher(every.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      section.problem(
          EVERY,
          "cannot read \"" + every + "\" as a bucket size",
          "Write e.g. every = 1 hour, 15 minutes, day, week or month.");
      return new TimeBucket(column, 1, TimeUnit.HOUR, as, section.origin());
    }
    int amount = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
    TimeUnit unit = TimeUnit.valueOf(m.group(2).toUpperCase(Locale.ROOT));
    int perDay =
        switch (unit) {
          case MINUTE -> 1440;
          case HOUR -> 24;
          case DAY, WEEK, MONTH -> 1;
        };
    if (amount <= 0 || perDay % amount != 0) {
      section.problem(
          EVERY,
          "a bucket of " + every + " does not divide a day evenly",
          "Use a size that divides a day (15 minutes, 2 hours, ...), or day, week or month.");
    }
    return new TimeBucket(column, amount, unit, as, section.origin());
  }

  private static Optional<Metric> metric(Section section, String name, String text) {
    if (text.isBlank()) {
      section.problem(
          name,
          "the metric is empty",
          "Write an aggregate, e.g. \"count\", \"avg(score)\", \"sum(price * qty)\".");
      return Optional.empty();
    }
    Matcher m = METRIC.matcher(text);
    Optional<MetricFunction> function = m.matches() ? functionNamed(m.group(1)) : Optional.empty();
    if (function.isEmpty()) {
      // any other aggregate: Spark's parser checks it at validate, its analyzer against the schema
      return Optional.of(Metric.expression(name, text.trim(), section.origin(name)));
    }
    Optional<String> column = Optional.ofNullable(m.group(2)).filter(c -> !c.equals("*"));
    Optional<Double> percentile = Optional.ofNullable(m.group(3)).map(Double::valueOf);
    MetricFunction f = function.get();
    if (f.needsColumn() && column.isEmpty()) {
      section.problem(
          name,
          f.name().toLowerCase(Locale.ROOT) + " needs a column",
          "Write \"" + f.name().toLowerCase(Locale.ROOT) + "(<column>)\".");
    }
    if (f.needsPercentile() != percentile.isPresent()) {
      section.problem(
          name,
          f.needsPercentile()
              ? "a percentile needs a fraction"
              : "only percentiles take a second argument",
          f.needsPercentile()
              ? "Write \"percentile(<column>, 0.95)\"."
              : "Remove the second argument.");
    }
    percentile
        .filter(p -> p < 0 || p > 1)
        .ifPresent(
            p ->
                section.problem(
                    name,
                    "percentile " + p + " is outside 0..1",
                    "Write a fraction, e.g. 0.95 for the 95th percentile."));
    return Optional.of(
        new Metric(name, f, column, percentile, Optional.empty(), section.origin(name)));
  }

  /** The lines of the given keys, for errors found later against the source schema. */
  private static Map<String, Origin> origins(Section section, String... keys) {
    Map<String, Origin> origins = new HashMap<>();
    for (String key : keys) {
      if (section.has(key)) {
        origins.put(key, section.origin(key));
      }
    }
    return origins;
  }

  private static Optional<MetricFunction> functionNamed(String name) {
    for (MetricFunction f : MetricFunction.values()) {
      if (f == MetricFunction.EXPRESSION) {
        continue;
      }
      if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private Selection select() {
    Section section = plan.section(SELECT, COLUMNS, EXCLUDE, RENAME, ORDER);
    Section renameSection = section.section(RENAME);
    List<Rename> renames = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : renameSection.entries("").entrySet()) {
      if (entry.getValue().valueType() == ConfigValueType.STRING) {
        renames.add(
            new Rename(
                entry.getKey(),
                (String) entry.getValue().unwrapped(),
                renameSection.origin(entry.getKey())));
      } else {
        renameSection.problem(
            entry.getKey(),
            "expected the new column name",
            "Write rename { old_name = new_name }.");
      }
    }
    return new Selection(
        section.stringList(COLUMNS),
        section.stringList(EXCLUDE),
        renames,
        section.stringList(ORDER),
        section.origin(),
        origins(section, COLUMNS, EXCLUDE, ORDER));
  }
}
