package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.config.Filter.Operator;
import io.lakeport.config.PlanSpec.MetricFunction;
import io.lakeport.config.PlanSpec.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLoaderTest {
  private static final Path FULL = Path.of("src/test/resources/jobs/valid/full.conf");
  private final Site site = Fixtures.site();

  @Test
  void readsEveryPartOfTheJobFormat() {
    JobSpec job =
        new JobLoader(site)
            .load(
                FULL,
                Map.of("run_date", "2026-11-25", "tenants", "acme,initech"),
                JobLoader.Mode.RUN);

    assertThat(job.name()).isEqualTo("full-example");
    assertThat(job.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(job.window()).isEqualTo(Window.WEEK);
    assertThat(job.params())
        .extractingFromEntries(e -> e.getKey() + "=" + e.getValue().value())
        .containsExactlyInAnyOrder(
            "run_date=2026-11-25",
            "window_start=2026-11-23",
            "window_end=2026-11-30",
            "min_score=0.5",
            "tenants=[acme, initech]");

    SourceSpec source = job.source();
    assertThat(source.format()).isEqualTo(SourceFormat.DELTA);
    assertThat(source.path()).contains(site.warehouse() + "/events");
    assertThat(source.version()).contains(7L);

    PlanSpec plan = job.plan();
    assertThat(plan.standardize())
        .extracting(s -> s.column() + ":" + s.to() + ":" + s.from())
        .containsExactly("seen_at:TIMESTAMP:dd/MM/yyyy HH:mm", "day:DATE:iso");
    assertThat(plan.derive())
        .extracting(PlanSpec.Derivation::name)
        .as("file order, not key order")
        .containsExactly("b_second", "a_first");
    Filter.And where = (Filter.And) plan.where().orElseThrow();
    assertThat(where.filters()).hasSize(6);
    Filter.Predicate window = (Filter.Predicate) where.filters().get(0);
    assertThat(window.operator()).isEqualTo(Operator.BETWEEN);
    assertThat(window.values()).containsExactly("2026-11-23", "2026-11-25");
    assertThat(window.unit()).contains(TimeUnit.DAY);
    assertThat(window.origin().line()).isEqualTo(33);
    Filter.Or or = (Filter.Or) where.filters().get(1);
    assertThat(((Filter.Predicate) or.filters().get(1)).values()).containsExactly("0.5");
    assertThat(((Filter.Not) where.filters().get(2)).filter()).isInstanceOf(Filter.Predicate.class);
    assertThat(((Filter.Predicate) where.filters().get(3)).values())
        .containsExactly("acme", "initech");
    assertThat(((Filter.Predicate) where.filters().get(4)).operator()).isEqualTo(Operator.IS_NULL);
    assertThat(((Filter.Sql) where.filters().get(5)).expression()).isEqualTo("length(ip) > 6");
    assertThat(plan.nulls().drop()).containsExactly("tenant");
    assertThat(plan.nulls().fill())
        .extracting(f -> f.column() + "=" + f.value())
        .containsExactly("country=??");

    PlanSpec.Aggregation aggregation = plan.aggregate().orElseThrow();
    assertThat(aggregation.groupBy()).containsExactly("tenant", "day");
    PlanSpec.TimeBucket bucket = aggregation.timeBucket().orElseThrow();
    assertThat(List.of(bucket.column(), bucket.amount(), bucket.unit(), bucket.as()))
        .containsExactly("seen_at", 15, TimeUnit.MINUTE, "quarter");
    assertThat(aggregation.metrics())
        .extracting(m -> m.name() + ":" + m.function() + ":" + m.column() + ":" + m.percentile())
        .containsExactly(
            "events:COUNT:Optional.empty:Optional.empty",
            "p95:PERCENTILE:Optional[score]:Optional[0.95]",
            "ips:COUNT_DISTINCT:Optional[ip]:Optional.empty");
    assertThat(plan.select().exclude()).containsExactly("day");
    assertThat(plan.select().rename())
        .extracting(r -> r.from() + ">" + r.to())
        .containsExactly("tenant>customer");
    assertThat(plan.select().order()).containsExactly("customer", "quarter");

    SinkSpec sink = job.sink();
    assertThat(sink.format()).isEqualTo(SinkFormat.CSV);
    assertThat(sink.path()).isEqualTo(site.exports() + "/full/week=2026-11-23");
    assertThat(sink.mode()).isEqualTo(WriteMode.APPEND);
    assertThat(sink.compression()).contains("gzip");
    assertThat(sink.maxRecordsPerFile()).contains(1000L);
    assertThat(sink.options())
        .containsExactlyInAnyOrderEntriesOf(Map.of("header", "true", "sep", ";", "nullValue", "-"));
  }

  @Test
  void windowsFollowTheCalendar() {
    assertThat(
            List.of(
                Window.MONTH.start(LocalDate.parse("2026-02-17")),
                Window.MONTH.end(LocalDate.parse("2026-02-17")),
                Window.WEEK.start(LocalDate.parse("2026-11-01")),
                Window.WEEK.end(LocalDate.parse("2026-11-01"))))
        .extracting(Object::toString)
        .containsExactly("2026-02-01", "2026-03-01", "2026-10-26", "2026-11-02");
  }

  @Test
  void defaultsComeFromReferenceConf(@TempDir Path dir) {
    JobSpec job =
        Fixtures.job(
            dir,
            "name = minimal\nsource { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out }\n",
            Map.of());

    assertThat(job.sink().mode()).isEqualTo(WriteMode.OVERWRITE_PARTITIONS);
    assertThat(job.timeZone()).isEqualTo(site.timeZone());
    assertThat(job.window()).isEqualTo(Window.DAY);
    assertThat(job.params()).isEmpty();
    assertThat(job.plan().where()).isEqualTo(Optional.empty());
  }

  @Test
  void typedParamsRejectBadDefaultsAndValues(@TempDir Path dir) {
    String hocon =
        """
        name = typed
        params {
          limit = many
          since = null
        }
        param-types { limit = int, since = timestamp }
        source { format = parquet, path = /in }
        sink { format = parquet, path = /tmp/out }
        """;
    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class, () -> Fixtures.job(dir, hocon, Map.of("since", "yesterday")));

    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            Fixtures.displayed(dir.resolve("job.conf"))
                + ":3: params.limit: expected a whole number, found \"many\".",
            "--param: since: expected a timestamp like 2026-11-23T14:00:00Z or 2026-11-23T14:00:00, found \"yesterday\".");
  }

  @Test
  void validationFillsRequiredParamsWithSamples() {
    JobSpec job = new JobLoader(site).load(FULL, Map.of(), JobLoader.Mode.VALIDATE);

    assertThat(job.params()).containsKeys("run_date", "window_start", "window_end");
    assertThat(job.sink().path()).startsWith(site.exports() + "/full/week=");
  }

  @Test
  void localTimestampParamsAreReadInTheJobZone(@TempDir Path dir) {
    String hocon =
        """
        name = zoned
        time-zone = "Europe/Berlin"
        params { since = null }
        param-types { since = timestamp }
        source { format = parquet, path = /in }
        sink { format = parquet, path = /tmp/out }
        """;
    JobSpec job = Fixtures.job(dir, hocon, Map.of("since", "2026-07-01T12:00:00"));

    assertThat(job.params().get("since").value()).isEqualTo("2026-07-01T10:00:00Z");
  }

  @Test
  void metricsMetricCountNeedsNoColumnButOthersDo(@TempDir Path dir) {
    String hocon =
        """
        name = metrics
        source { format = parquet, path = /in }
        plan.aggregate.metrics { total = "sum" }
        sink { format = parquet, path = /tmp/out }
        """;
    JobConfigException e =
        catchThrowableOfType(JobConfigException.class, () -> Fixtures.job(dir, hocon, Map.of()));

    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            Fixtures.displayed(dir.resolve("job.conf"))
                + ":3: plan.aggregate.metrics.total: sum needs a column. Write \"sum(<column>)\".");
    assertThat(MetricFunction.COUNT.needsColumn()).isFalse();
  }

  @Test
  void excelOptionsAsWrittenOverTheSiteDefaults() {
    JobSpec job =
        new JobLoader(site)
            .load(
                Path.of("src/test/resources/jobs/valid/excel.conf"), Map.of(), JobLoader.Mode.RUN);

    assertThat(job.sink().format()).isEqualTo(SinkFormat.EXCEL);
    assertThat(job.sink().maxRecordsPerFile()).contains(ExcelOptions.MAX_ROWS - 1);
    assertThat(job.sink().options())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ExcelOptions.SHEET_NAME,
                "Orders (daily)",
                ExcelOptions.AUTO_FILTER,
                "false",
                ExcelOptions.HEADER,
                "true",
                ExcelOptions.FREEZE_HEADER,
                "true",
                ExcelOptions.DATE_FORMAT,
                "yyyy-mm-dd",
                ExcelOptions.TIMESTAMP_FORMAT,
                "yyyy-mm-dd hh:mm:ss"));
  }

  @Test
  void siteSettingsChangeExcelDefaultsAndTheirMistakesPointAtTheSiteFile(@TempDir Path dir)
      throws Exception {
    Path siteFile =
        Fixtures.write(
            dir,
            "application.conf",
            """
        lakeport.sink-options.excel {
          sheet-name = Daten
          date-format = "dd.mm.yyyy"
        }
        lakeport.sink-options.exel.header = false
        """);
    Site custom = Site.load(Optional.of(siteFile));
    Path jobFile =
        Fixtures.write(
            dir,
            "job.conf",
            "name = site\nsource { format = parquet, path = /in }\n"
                + "sink { format = excel, path = /tmp/out }\n");

    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () -> new JobLoader(custom).load(jobFile, Map.of(), JobLoader.Mode.RUN));
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            siteFile
                + ":5: lakeport.sink-options.exel: "
                + "unknown key \"exel\". Did you mean \"excel\"? Valid keys: avro, csv, delta, excel, json, parquet, xml.");

    Files.writeString(siteFile, Files.readString(siteFile).replace("exel", "excel"));
    SinkSpec sink =
        new JobLoader(Site.load(Optional.of(siteFile)))
            .load(jobFile, Map.of(), JobLoader.Mode.RUN)
            .sink();
    assertThat(sink.options())
        .containsEntry(ExcelOptions.SHEET_NAME, "Daten")
        .containsEntry(ExcelOptions.HEADER, "false")
        .containsEntry(ExcelOptions.DATE_FORMAT, "dd.mm.yyyy")
        .containsEntry(ExcelOptions.AUTO_FILTER, "true");
  }

  @Test
  void parametersThatAreValuesGoIntoPathsAndSqlUnchanged(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("tenant.conf"),
            """
            name = tenant
            params { tenant = null, folder = null, min_age = null, dept = null }
            param-types { folder = path, min_age = int }
            source { format = parquet, path = "/in/"${params.tenant} }
            plan.where {
              and = [
                "age >= "${params.min_age}" and day = '"${params.run_date}"'"
                { column = dept, eq = ${params.dept} }
              ]
            }
            sink { format = parquet, path = "/tmp/out/"${params.tenant}"/"${params.folder} }
            """);

    JobSpec job =
        new JobLoader(site)
            .load(
                file,
                Map.of(
                    "tenant", "acme-eu_1",
                    "folder", "2026/q4",
                    "min_age", "40",
                    "dept", "x' OR 1=1 --",
                    "run_date", "2026-11-23"),
                JobLoader.Mode.RUN);

    assertThat(job.source().path()).contains("/in/acme-eu_1");
    assertThat(job.sink().path()).isEqualTo("/tmp/out/acme-eu_1/2026/q4");
    Filter.And where = (Filter.And) job.plan().where().orElseThrow();
    assertThat(((Filter.Sql) where.filters().get(0)).expression())
        .as("typed params may be spliced: their values cannot hold a quote")
        .isEqualTo("age >= 40 and day = '2026-11-23'");
    assertThat(((Filter.Predicate) where.filters().get(1)).values())
        .as("a value compared, never parsed as SQL")
        .containsExactly("x' OR 1=1 --");
  }

  @Test
  void aSinkAtTheExportsRootOrTheWarehouseIsRefused(@TempDir Path dir) throws Exception {
    for (String path : List.of("${lakeport.exports}\"/\"", "${lakeport.warehouse}")) {
      Path file =
          Files.writeString(
              dir.resolve("root.conf"),
              "name = root\nsource { format = parquet, path = /in }\n"
                  + "sink { format = parquet, path = "
                  + path
                  + " }\n");

      JobConfigException e =
          catchThrowableOfType(
              JobConfigException.class,
              () -> new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE));

      assertThat(e).as(path).isNotNull();
      assertThat(e.problems())
          .extracting(ConfigProblem::message)
          .singleElement()
          .asString()
          .startsWith(dir.resolve("root.conf") + ":3: sink.path: sink path ")
          .containsAnyOf("is the exports root itself", "is the warehouse");
    }
  }
}
