package io.lakeport.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code source} and {@code sink} sections. Format options are written in kebab-case and
 * checked against what each format accepts, then translated to Spark's option names.
 */
final class Endpoints {
  static final String FORMAT = "format";
  static final String PATH = "path";
  static final String TABLE = "table";
  static final String VERSION = "version";
  static final String TIMESTAMP = "timestamp";
  static final String SCHEMA = "schema";
  static final String OPTIONS = "options";
  static final String PARTITION_BY = "partition-by";
  static final String MODE = "mode";
  static final String COMPRESSION = "compression";
  static final String MAX_RECORDS_PER_FILE = "max-records-per-file";
  static final String TARGET_FILE_SIZE = "target-file-size";

  /**
   * Below this, "target" files would be smaller than a Parquet row group's overhead makes sensible.
   */
  private static final long MIN_TARGET_FILE_SIZE = 1L << 16;

  static final String URL = "url";
  static final String QUERY = "query";
  static final String PARTITION = "partition";
  static final String COLUMN = "column";
  static final String LOWER = "lower";
  static final String UPPER = "upper";
  static final String COUNT = "count";
  static final String FETCH_SIZE = "fetch-size";
  static final String DRIVER = "driver";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String PASSWORD_ENV = "password-env";
  static final String PASSWORD_FILE = "password-file";

  static final String[] SOURCE_KEYS = {
    FORMAT,
    PATH,
    TABLE,
    VERSION,
    TIMESTAMP,
    SCHEMA,
    OPTIONS,
    URL,
    QUERY,
    PARTITION,
    FETCH_SIZE,
    DRIVER,
    USER,
    PASSWORD,
    PASSWORD_ENV,
    PASSWORD_FILE
  };
  static final String REPLACE_WHERE = "replace-where";
  static final String TABLE_PROPERTIES = "table-properties";
  static final String FILE_NAME = "file-name";
  static final String ON_EMPTY = "on-empty";
  static final String TAKE_OVER = "take-over";
  static final String[] SINK_KEYS = {
    FORMAT,
    PATH,
    PARTITION_BY,
    MODE,
    COMPRESSION,
    MAX_RECORDS_PER_FILE,
    TARGET_FILE_SIZE,
    OPTIONS,
    REPLACE_WHERE,
    TABLE_PROPERTIES,
    FILE_NAME,
    ON_EMPTY,
    TAKE_OVER
  };
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
  private static final List<String> PLACEHOLDERS = List.of("job", "run", "partition", "part");

  private static final Map<String, String> CSV_COMMON =
      Map.of(
          "header", "header",
          "delimiter", "sep",
          "quote", "quote",
          "escape", "escape",
          "null-value", "nullValue",
          "date-format", "dateFormat",
          "timestamp-format", "timestampFormat",
          "timestamp-ntz-format", "timestampNTZFormat",
          "encoding", "encoding",
          "line-separator", "lineSep");
  private static final Map<String, String> JSON_COMMON =
      Map.of(
          "date-format", "dateFormat",
          "timestamp-format", "timestampFormat",
          "timestamp-ntz-format", "timestampNTZFormat",
          "encoding", "encoding",
          "line-separator", "lineSep");

  private static final Map<String, String> XML_COMMON =
      Map.of(
          "row-tag", "rowTag",
          "attribute-prefix", "attributePrefix",
          "value-tag", "valueTag",
          "null-value", "nullValue",
          "date-format", "dateFormat",
          "timestamp-format", "timestampFormat",
          "encoding", "encoding");
  private static final Map<String, String> FILE_LOOKUP =
      Map.of(
          "path-glob-filter", "pathGlobFilter",
          "recursive-file-lookup", "recursiveFileLookup");

  private static final Map<SourceFormat, Map<String, String>> SOURCE_OPTIONS =
      Map.of(
          SourceFormat.CSV,
              merge(
                  CSV_COMMON,
                  Map.of(
                      "infer-schema",
                      "inferSchema",
                      "multi-line",
                      "multiLine",
                      "comment",
                      "comment",
                      "empty-value",
                      "emptyValue")),
          SourceFormat.JSON,
              merge(
                  JSON_COMMON,
                  Map.of("multi-line", "multiLine", "primitives-as-string", "primitivesAsString")),
          SourceFormat.PARQUET, merge(FILE_LOOKUP, Map.of("merge-schema", "mergeSchema")),
          SourceFormat.AVRO, merge(FILE_LOOKUP, Map.of("avro-schema", "avroSchema")),
          SourceFormat.XML,
              merge(
                  XML_COMMON,
                  Map.of(
                      "exclude-attribute",
                      "excludeAttribute",
                      "ignore-surrounding-spaces",
                      "ignoreSurroundingSpaces")),
          SourceFormat.DELTA, Map.of(),
          SourceFormat.JDBC,
              Map.of(
                  "session-init-statement",
                  "sessionInitStatement",
                  "query-timeout",
                  "queryTimeout",
                  "push-down-predicate",
                  "pushDownPredicate"),
          SourceFormat.TABLE, Map.of());
  private static final Map<SinkFormat, Map<String, String>> SINK_OPTIONS =
      Map.of(
          SinkFormat.CSV,
              merge(
                  CSV_COMMON,
                  Map.of(
                      "quote-all",
                      "quoteAll",
                      "empty-value",
                      "emptyValue",
                      "escape-quotes",
                      "escapeQuotes")),
          SinkFormat.JSON, merge(JSON_COMMON, Map.of("ignore-null-fields", "ignoreNullFields")),
          SinkFormat.PARQUET, Map.of(),
          SinkFormat.AVRO,
              Map.of(
                  "record-name",
                  "recordName",
                  "record-namespace",
                  "recordNamespace",
                  "avro-schema",
                  "avroSchema"),
          SinkFormat.XML,
              merge(XML_COMMON, Map.of("root-tag", "rootTag", "declaration", "declaration")),
          SinkFormat.EXCEL, ExcelOptions.NAMES,
          SinkFormat.DELTA,
              Map.of(
                  "merge-schema",
                  "mergeSchema",
                  "overwrite-schema",
                  "overwriteSchema",
                  "user-metadata",
                  "userMetadata"));
  private static final Map<SinkFormat, List<String>> COMPRESSIONS =
      Map.of(
          SinkFormat.PARQUET, List.of("none", "snappy", "gzip", "zstd", "lz4"),
          SinkFormat.CSV, List.of("none", "gzip", "bzip2", "deflate", "zstd"),
          SinkFormat.JSON, List.of("none", "gzip", "bzip2", "deflate", "zstd"),
          SinkFormat.AVRO, List.of("none", "snappy", "deflate", "zstd", "bzip2", "xz"),
          SinkFormat.XML, List.of("none", "gzip", "bzip2", "deflate", "zstd"),
          SinkFormat.EXCEL, List.of(),
          SinkFormat.DELTA, List.of("none", "snappy", "gzip", "zstd", "lz4"));

  private Endpoints() {}

  static SourceSpec source(Section source) {
    SourceFormat format = source.enumValue(FORMAT, SourceFormat.class, SourceFormat.PARQUET);
    Optional<String> path = source.optionalString(PATH);
    Optional<String> table = source.optionalString(TABLE);
    Optional<JdbcSpec> jdbc =
        format == SourceFormat.JDBC ? Optional.of(jdbc(source, table)) : Optional.empty();
    refuseJdbcKeysElsewhere(source, format);
    if (format == SourceFormat.JDBC) {
      // url, table and query are checked by jdbc()
    } else if (format == SourceFormat.TABLE ? table.isEmpty() : path.isEmpty()) {
      String key = format == SourceFormat.TABLE ? TABLE : PATH;
      source.problem(
          key,
          "missing required setting for format " + Section.keyName(format),
          "Add "
              + key
              + " = "
              + (format == SourceFormat.TABLE ? "<database.table>." : "<folder or URI>."));
    }
    if (format != SourceFormat.TABLE && format != SourceFormat.JDBC && table.isPresent()) {
      source.problem(
          TABLE, "table applies only to format = table", "Remove it, or set format = table.");
    }
    Optional<Long> version = source.optionalLong(VERSION);
    Optional<String> timestamp = source.optionalString(TIMESTAMP);
    if (format != SourceFormat.DELTA
        && format != SourceFormat.TABLE
        && (version.isPresent() || timestamp.isPresent())) {
      source.problem(
          version.isPresent() ? VERSION : TIMESTAMP,
          "time travel needs a Delta source",
          "Remove it, or read a Delta table (format = delta).");
    }
    if (version.isPresent() && timestamp.isPresent()) {
      source.problem(TIMESTAMP, "version and timestamp both pin the table", "Keep one of them.");
    }
    Optional<String> schema = source.optionalString(SCHEMA);
    if (schema.isPresent()
        && format != SourceFormat.CSV
        && format != SourceFormat.JSON
        && format != SourceFormat.XML) {
      source.problem(SCHEMA, "a schema applies only to CSV, JSON and XML sources", "Remove it.");
    }
    Map<String, String> options =
        options(source.section(OPTIONS), SOURCE_OPTIONS.get(format), Section.keyName(format));
    if (format == SourceFormat.XML && !options.containsKey("rowTag")) {
      source.problem(
          OPTIONS,
          "an XML source needs the element that holds one row",
          "Add options { row-tag = <element name> }.");
    }
    return new SourceSpec(
        format, path, table, version, timestamp, schema, options, jdbc, source.origin());
  }

  private static JdbcSpec jdbc(Section source, Optional<String> table) {
    String url = source.string(URL);
    if (!url.isEmpty() && !url.startsWith("jdbc:")) {
      source.problem(
          URL,
          "a JDBC URL starts with jdbc:, found \"" + url + "\"",
          "Write e.g. url = \"jdbc:postgresql://host:5432/db\".");
    }
    Optional<String> query = source.optionalString(QUERY);
    if (table.isPresent() == query.isPresent()) {
      source.problem(
          table.isPresent() ? QUERY : TABLE,
          "a JDBC source reads a table or a query",
          table.isPresent()
              ? "Keep one of table and query."
              : "Add table = <schema.table> or query = \"select ...\".");
    }
    if (source.has(PASSWORD)) {
      source.problem(
          PASSWORD,
          "a password must not be written in a job file",
          "Use password-env = <environment variable> or password-file = <file holding the password>.");
    }
    Optional<String> passwordEnv = source.optionalString(PASSWORD_ENV);
    Optional<String> passwordFile = source.optionalString(PASSWORD_FILE);
    if (passwordEnv.isPresent() && passwordFile.isPresent()) {
      source.problem(
          PASSWORD_FILE,
          "the password comes from two places",
          "Keep one of password-env and password-file.");
    }
    Optional<JdbcSpec.Partitioning> partitioning = Optional.empty();
    if (source.has(PARTITION)) {
      Section p = source.section(PARTITION, COLUMN, LOWER, UPPER, COUNT);
      long lower = p.optionalLong(LOWER).orElse(0L);
      long upper = p.optionalLong(UPPER).orElse(0L);
      long count = p.optionalLong(COUNT).orElse(1L);
      if (!p.has(LOWER) || !p.has(UPPER) || !p.has(COUNT) || lower >= upper || count < 1) {
        source.problem(
            PARTITION,
            "parallel reads need a column, lower < upper and a count of at least 1",
            "Write partition { column = id, lower = 1, upper = 1000000, count = 8 }.");
      }
      partitioning =
          Optional.of(new JdbcSpec.Partitioning(p.string(COLUMN), lower, upper, (int) count));
    }
    Optional<Long> fetchSize = source.optionalLong(FETCH_SIZE);
    return new JdbcSpec(
        url,
        table,
        query,
        partitioning,
        fetchSize,
        source.optionalString(DRIVER),
        source.optionalString(USER),
        passwordEnv,
        passwordFile);
  }

  private static void refuseJdbcKeysElsewhere(Section source, SourceFormat format) {
    if (format == SourceFormat.JDBC) {
      if (source.has(PATH)) {
        source.problem(
            PATH, "a JDBC source has no path", "Remove it; the source is url with table or query.");
      }
      return;
    }
    for (String key :
        List.of(
            URL,
            QUERY,
            PARTITION,
            FETCH_SIZE,
            DRIVER,
            USER,
            PASSWORD,
            PASSWORD_ENV,
            PASSWORD_FILE)) {
      if (source.has(key)) {
        source.problem(
            key, key + " applies only to format = jdbc", "Remove it, or set format = jdbc.");
      }
    }
  }

  /**
   * Reads the sink section; {@code formatDefaults} is the site's {@code lakeport.sink-options},
   * whose entry for the sink's format fills the options the job does not set.
   */
  static SinkSpec sink(Section sink, Section formatDefaults) {
    SinkFormat format = sink.enumValue(FORMAT, SinkFormat.class, SinkFormat.PARQUET);
    String path = sink.string(PATH);
    List<String> partitionBy = sink.stringList(PARTITION_BY);
    WriteMode mode = sink.enumValue(MODE, WriteMode.class, WriteMode.OVERWRITE_PARTITIONS);
    Optional<String> compression = sink.optionalString(COMPRESSION);
    compression
        .filter(c -> format != SinkFormat.EXCEL && !COMPRESSIONS.get(format).contains(c))
        .ifPresent(
            c ->
                sink.problem(
                    COMPRESSION,
                    "unknown value \"" + c + "\" for format " + Section.keyName(format),
                    Problems.suggestion(c, COMPRESSIONS.get(format))
                        + "Expected one of: "
                        + String.join(", ", COMPRESSIONS.get(format))
                        + "."));
    Optional<Long> maxRecords = sink.optionalLong(MAX_RECORDS_PER_FILE);
    maxRecords
        .filter(n -> n <= 0)
        .ifPresent(
            n ->
                sink.problem(
                    MAX_RECORDS_PER_FILE,
                    "must be positive, found " + n,
                    "Remove it for no limit."));
    Optional<Long> targetSize = sink.optionalBytes(TARGET_FILE_SIZE);
    targetSize
        .filter(n -> n < MIN_TARGET_FILE_SIZE)
        .ifPresent(
            n ->
                sink.problem(
                    TARGET_FILE_SIZE,
                    "must be at least 64KiB, found " + n + " bytes",
                    "Use a size such as 128MB, or remove it."));
    Map<String, String> valid = SINK_OPTIONS.get(format);
    Section written = sink.section(OPTIONS);
    Map<String, String> options = options(written, valid, Section.keyName(format));
    Section defaults =
        formatDefaults.section(Section.keyName(format), valid.keySet().toArray(String[]::new));
    valid.forEach(
        (key, sparkName) ->
            defaults.optionalString(key).ifPresent(value -> options.putIfAbsent(sparkName, value)));
    if (format == SinkFormat.EXCEL) {
      ExcelOptions.check(sink, written, defaults, options, compression, maxRecords);
    }
    TextSinkOptions.check(format, written, defaults, options);
    Optional<String> replaceWhere = sink.optionalString(REPLACE_WHERE);
    Map<String, String> properties = new LinkedHashMap<>();
    Section propertiesSection = sink.section(TABLE_PROPERTIES);
    propertiesSection
        .entries("")
        .keySet()
        .forEach(
            key ->
                propertiesSection
                    .optionalString(key)
                    .ifPresent(value -> properties.put(key, value)));
    if (format != SinkFormat.DELTA && (replaceWhere.isPresent() || !properties.isEmpty())) {
      sink.problem(
          replaceWhere.isPresent() ? REPLACE_WHERE : TABLE_PROPERTIES,
          "applies only to Delta sinks",
          "Remove it, or set format = delta.");
    }
    if (replaceWhere.isPresent() && mode != WriteMode.OVERWRITE) {
      sink.problem(
          REPLACE_WHERE,
          "replace-where replaces rows, so it needs mode = overwrite",
          "Set mode = overwrite (only rows matching the condition are replaced).");
    }
    Optional<String> fileName = sink.optionalString(FILE_NAME);
    fileName.ifPresent(template -> checkFileName(sink, template, format, path));
    return new SinkSpec(
        format,
        path,
        partitionBy,
        mode,
        compression,
        maxRecords,
        targetSize,
        options,
        replaceWhere,
        properties,
        fileName,
        sink.enumValue(ON_EMPTY, OnEmpty.class, OnEmpty.FAIL),
        sink.optionalBoolean(TAKE_OVER).orElse(false),
        sink.origin(),
        Map.of(PARTITION_BY, sink.origin(PARTITION_BY)));
  }

  private static void checkFileName(Section sink, String template, SinkFormat format, String path) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        sink.problem(
            FILE_NAME,
            "unknown placeholder {" + m.group(1) + "}",
            "Use {job}, {run}, {partition} and {part}.");
      }
    }
    if (!template.contains("{part}")) {
      sink.problem(
          FILE_NAME,
          "the template needs {part}, or tasks would write the same name",
          "Add {part}, e.g. file-name = \"{job}-{run}-{part}\".");
    }
    if (template.contains("/")) {
      sink.problem(FILE_NAME, "a file name cannot contain '/'", "Use partition-by for folders.");
    }
    if (format == SinkFormat.DELTA || path.startsWith("s3")) {
      sink.problem(
          FILE_NAME,
          "file names are chosen by "
              + (format == SinkFormat.DELTA ? "Delta" : "the S3A committer")
              + " here",
          "Remove file-name for this sink.");
    }
  }

  private static Map<String, String> options(
      Section options, Map<String, String> valid, String format) {
    Map<String, String> translated = new LinkedHashMap<>();
    for (String key : options.entries("").keySet()) {
      String sparkName = valid.get(key);
      if (sparkName == null) {
        Set<String> names = new TreeSet<>(valid.keySet());
        options.problem(
            key,
            "unknown option \"" + key + "\" for format " + format,
            names.isEmpty()
                ? "This format takes no options."
                : Problems.suggestion(key, names)
                    + "Valid options: "
                    + String.join(", ", names)
                    + ".");
      } else {
        options
            .optionalString(key)
            .ifPresent(
                value -> {
                  OptionValues.check(options, format, key, sparkName, value);
                  translated.put(sparkName, value);
                });
      }
    }
    return translated;
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> merged = new LinkedHashMap<>(a);
    merged.putAll(b);
    return Map.copyOf(merged);
  }
}
