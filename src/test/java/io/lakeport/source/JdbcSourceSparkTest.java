package io.lakeport.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobConfigException;
import io.lakeport.failure.ExitCode;
import io.lakeport.manifest.Manifest;
import io.lakeport.run.ExportRunner;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDBC sources against a real database engine (H2, file-backed, in this JVM): parallel range reads,
 * queries, credentials from a file, and clear errors for wrong or missing credentials.
 */
class JdbcSourceSparkTest {
  private static final int ORDERS = 1_000;
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;
  private String url;
  private Path passwordFile;
  private final Set<Long> bigOrders = new TreeSet<>();

  @BeforeEach
  void database() throws Exception {
    url = "jdbc:h2:file:" + dir.resolve("shop");
    passwordFile = Files.writeString(dir.resolve("db-password"), "s3cret-pw\n");
    try (Connection db = DriverManager.getConnection(url, "lakeport", "s3cret-pw")) {
      db.createStatement()
          .execute(
              "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(20), amount DECIMAL(10,2), placed_at TIMESTAMP)");
      try (PreparedStatement insert =
          db.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
        for (long id = 1; id <= ORDERS; id++) {
          BigDecimal amount = BigDecimal.valueOf(id * 37 % 100_00, 2);
          insert.setLong(1, id);
          insert.setString(2, "c" + id % 13);
          insert.setBigDecimal(3, amount);
          insert.setTimestamp(
              4, Timestamp.from(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(id * 60)));
          insert.addBatch();
          if (amount.compareTo(BigDecimal.valueOf(50)) >= 0) {
            bigOrders.add(id);
          }
        }
        insert.executeBatch();
      }
    }
  }

  @Test
  void readsATableInParallelRangesWithThePasswordFromAFile() {
    Manifest m =
        run(
            """
        name = jdbc-orders
        source {
          format = jdbc
          url = "%s"
          table = ORDERS
          partition { column = ID, lower = 1, upper = 1000, count = 4 }
          fetch-size = 100
          user = lakeport
          password-file = "%s"
        }
        plan.where = { column = amount, gte = 50 }
        sink { format = parquet, path = "%s" }
        """
                .formatted(url, passwordFile, dir.resolve("out")));

    assertThat(bigOrders).isNotEmpty().hasSizeLessThan(ORDERS);
    assertThat(m.totals().rows()).isEqualTo(bigOrders.size());
    assertThat(m.totals().rowsRead())
        .as("the filter runs in the database: only matching rows are read")
        .isEqualTo(bigOrders.size());
    assertThat(ids(dir.resolve("out"))).isEqualTo(bigOrders);
    assertThat(m.source())
        .containsEntry("format", "jdbc")
        .containsEntry("table", "ORDERS")
        .containsEntry("url", url);
    assertThat(new String(m.toJson(), StandardCharsets.UTF_8)).doesNotContain("s3cret");
  }

  @Test
  void readsAQuery() {
    Manifest m =
        run(
            """
        name = jdbc-query
        source {
          format = jdbc
          url = "%s"
          query = "select id, amount from orders where customer = 'c3'"
          user = lakeport
          password-file = "%s"
        }
        sink { format = json, path = "%s" }
        """
                .formatted(url, passwordFile, dir.resolve("query")));

    assertThat(m.totals().rows())
        .isEqualTo(LongStream.rangeClosed(1, ORDERS).filter(id -> id % 13 == 3).count());
    assertThat(m.schema()).extracting(Manifest.ColumnInfo::name).containsExactly("ID", "AMOUNT");
  }

  @Test
  void wrongCredentialsAndMissingVariablesAreClearErrors() throws Exception {
    Files.writeString(passwordFile, "wrong");
    String job =
        """
        name = jdbc-denied
        source {
          format = jdbc
          url = "%s"
          table = ORDERS
          user = lakeport
          %s
        }
        sink { format = parquet, path = "%s" }
        """;

    JobConfigException wrong =
        catchThrowableOfType(
            JobConfigException.class,
            () ->
                run(
                    job.formatted(
                        url, "password-file = \"" + passwordFile + "\"", dir.resolve("denied"))));
    JobConfigException unset =
        catchThrowableOfType(
            JobConfigException.class,
            () ->
                run(
                    job.formatted(
                        url, "password-env = LAKEPORT_TEST_UNSET_PASSWORD", dir.resolve("unset"))));

    String file = Fixtures.displayed(dir.resolve("job.conf"));
    assertThat(wrong)
        .hasMessageStartingWith(
            file + ":2: source: cannot read " + url + ": Wrong user name or password")
        .hasMessageEndingWith("Check source.url, the table or query, and the credentials.");
    assertThat(unset)
        .hasMessage(
            file
                + ":2: source: cannot read "
                + url
                + ": the environment variable "
                + "LAKEPORT_TEST_UNSET_PASSWORD (source.password-env) is not set. Export it before the run, or use password-file.");
    assertThat(dir.resolve("denied")).doesNotExist();
    assertThat(ExitCode.of(wrong)).as("a mistake in the job, not retried").isEqualTo(ExitCode.USER);
  }

  @Test
  void aDatabaseThatDoesNotAnswerIsAFailureOutsideTheJobAndIsRetried() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // closed again: nothing listens there
    }
    String down = "jdbc:postgresql://127.0.0.1:" + port + "/shop";

    SourceUnreachableException refused =
        catchThrowableOfType(
            SourceUnreachableException.class,
            () ->
                run(
                    """
        name = jdbc-down
        source {
          format = jdbc
          url = "%s"
          table = orders
          user = lakeport
          password-file = "%s"
        }
        sink { format = parquet, path = "%s" }
        """
                        .formatted(down, passwordFile, dir.resolve("down"))));

    String file = Fixtures.displayed(dir.resolve("job.conf"));
    assertThat(refused)
        .hasMessageStartingWith(
            "Cannot connect to the source database " + down + " (" + file + ":2: source): ")
        .hasMessageContaining("refused")
        .hasMessageEndingWith("a scheduled run is retried.");
    assertThat(ExitCode.of(refused))
        .as("outside Lakeport, so retried")
        .isEqualTo(ExitCode.EXTERNAL);
    assertThat(dir.resolve("down")).doesNotExist();
  }

  @Test
  void masksPasswordsInUrls() {
    assertThat(JdbcSource.masked("jdbc:sqlserver://db;user=a;password=hunter2;encrypt=true"))
        .isEqualTo("jdbc:sqlserver://db;user=a;password=***;encrypt=true");
    assertThat(JdbcSource.masked("jdbc:postgresql://db/x?user=a&PWD=hunter2"))
        .isEqualTo("jdbc:postgresql://db/x?user=a&PWD=***");
  }

  private Manifest run(String hocon) {
    return new ExportRunner(spark, Clock.systemUTC())
        .run(Fixtures.job(dir, hocon, Map.of()))
        .manifest();
  }

  private Set<Long> ids(Path out) {
    return spark.read().parquet(out.toString()).select("ID").collectAsList().stream()
        .map(r -> r.getLong(0))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
