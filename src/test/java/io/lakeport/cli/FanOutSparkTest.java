package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that fans out ({@code fan-out}) at the command line: one run per value, each export checked
 * row for row against the same filter run by DuckDB on the generated source; a value whose run
 * fails does not stop the others and is reported by value; values from a file beside the job; one
 * value alone with {@code --param}; a value that cannot name a folder refused before any run.
 */
class FanOutSparkTest {
  private static final List<String> TENANTS = List.of("acme", "globex", "initech");

  @TempDir Path dir;
  private Path site;
  private Path events;

  @BeforeEach
  void source() {
    TestSpark.session()
        .sql(
            "SELECT id, element_at(array('acme', 'globex', 'initech', 'hooli'), CAST(id % 4 + 1 AS"
                + " INT)) AS tenant, id * 7 % 100 AS score, concat('event ', id) AS text FROM"
                + " range(0, 400)")
        .write()
        .parquet(dir.resolve("events").toString());
    events = dir.resolve("events");
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { exports = \""
                + dir.resolve("exports")
                + "\", history.url = \"jdbc:h2:file:"
                + dir.resolve("history/lakeport")
                + "\" }\n");
  }

  @Test
  void oneRunPerTenantEachExportAsDuckDbFiltersItAndAFailingValueStopsNoOther() throws Exception {
    Path job =
        job("values = [acme, globex, zeta, initech]", "where = { column = score, gte = 20 }");

    CliRun result = lakeport("run", job.toString());

    // zeta has no rows: its run fails (sink.on-empty = fail), the three others publish
    assertThat(result.code()).as(result.err()).isEqualTo(3);
    assertThat(result.err()).contains("job per-tenant tenant=zeta run ");
    assertThat(result.err()).contains("the run produced no rows");
    List<String> table = result.out().lines().filter(l -> l.startsWith("per-tenant ")).toList();
    assertThat(table)
        .extracting(l -> l.replaceAll(" [0-9]{8}T\\S+ ", " <run> ").replaceAll("\\s+", " "))
        .containsExactly(
            "per-tenant tenant=acme <run> published 80 0",
            "per-tenant tenant=globex <run> published 80 0",
            "per-tenant tenant=zeta <run> failed 0 3",
            "per-tenant tenant=initech <run> published 80 0");
    for (String tenant : TENANTS) {
      Path export = dir.resolve("exports/tenants/" + tenant);
      assertThat(export.resolve("_lakeport")).isDirectory();
      assertThat(
              duck(
                  "SELECT id, score, text FROM read_parquet('"
                      + export
                      + "/*.parquet') ORDER BY id"))
          .as(tenant)
          .isNotEmpty()
          .containsExactlyElementsOf(
              duck(
                  "SELECT id, score, text FROM read_parquet('"
                      + events
                      + "/*.parquet') WHERE tenant = '"
                      + tenant
                      + "' AND score >= 20 ORDER BY id"));
    }
    // nothing published for zeta: no data file, no manifest
    try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("exports/tenants"))) {
      assertThat(files.map(Path::toString).filter(p -> p.contains("/zeta/")))
          .noneMatch(p -> p.endsWith(".parquet") || p.contains("manifest-"));
    }

    // each value's run is in the history with its own manifest
    CliRun history = lakeport("history", "--job", "per-tenant");
    assertThat(history.out().lines().filter(l -> l.contains("succeeded")).count()).isEqualTo(3);
    assertThat(history.out().lines().filter(l -> l.contains("failed")).count()).isEqualTo(1);
  }

  @Test
  void valuesFromAFileBesideTheJobAndOneValueAloneWithParam() throws Exception {
    Files.writeString(
        Files.createDirectories(dir.resolve("jobs")).resolve("tenants.txt"),
        "# the tenants with a contract\nacme\n\nglobex\n");
    Path job = job("from-file = \"tenants.txt\"", "");

    CliRun one = lakeport("run", job.toString(), "--param", "tenant=globex");
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(dir.resolve("exports/tenants/globex/_lakeport")).isDirectory();
    assertThat(dir.resolve("exports/tenants/acme")).doesNotExist();

    CliRun all = lakeport("run", job.toString());
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(dir.resolve("exports/tenants/acme/_lakeport")).isDirectory();
  }

  @Test
  void aValueThatCannotNameAFolderIsRefusedBeforeAnyRun() {
    Path job = job("values = [acme, \"../../etc\"]", "");

    CliRun result = lakeport("run", job.toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            Fixtures.displayed(job)
                + ":4: fan-out.values: \"../../etc\" cannot be a fan-out value: it must be able to"
                + " name one folder.");
    assertThat(dir.resolve("exports")).doesNotExist();
  }

  private Path job(String values, String plan) {
    return Fixtures.write(
        dir.resolve("jobs"),
        "per-tenant.conf",
        "name = per-tenant\nparams { tenant = null }\n"
            + "source { format = parquet, path = \""
            + events
            + "\" }\nfan-out { param = tenant, "
            + values
            + " }\nplan { where = { and = [ { column = tenant, eq = ${params.tenant} }"
            + (plan.isEmpty() ? "" : ", " + plan.substring("where = ".length()))
            + " ] }, select.exclude = [tenant] }\n"
            + "sink { format = parquet, path = ${lakeport.exports}\"/tenants/\"${params.tenant} }\n");
  }

  private static List<String> duck(String query) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet r = sql.executeQuery(query)) {
      while (r.next()) {
        rows.add(r.getLong(1) + "|" + r.getLong(2) + "|" + r.getString(3));
      }
    }
    return rows;
  }

  private CliRun lakeport(String... args) {
    return CliRun.of(site, args);
  }
}
