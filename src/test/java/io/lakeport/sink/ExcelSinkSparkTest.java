package io.lakeport.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.ExcelOptions;
import io.lakeport.config.JobConfigException;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.run.ExportRunner;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Excel exports through {@link ExportRunner}, read back with POI (not Spark): every row and typed
 * cell against the rows the source was built from in Java, timestamps shown in the job's zone
 * across a DST change, the header's look, one workbook per partition folder, the manifest against
 * the files on disk, file splitting, partition replacement on re-runs, and a column type Excel
 * cannot hold.
 */
class ExcelSinkSparkTest {
  private static final int ROWS = 150;
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final List<String> COLUMNS =
      List.of("id", "name", "qty", "price", "amount", "active", "day", "seen_at");
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;
  private String source;

  @BeforeEach
  void source() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType, false)
            .add("name", DataTypes.StringType)
            .add("qty", DataTypes.IntegerType)
            .add("price", DataTypes.DoubleType)
            .add("amount", DataTypes.createDecimalType(12, 2))
            .add("active", DataTypes.BooleanType)
            .add("day", DataTypes.DateType)
            .add("seen_at", DataTypes.TimestampType)
            .add("region", DataTypes.StringType, false);
    List<Row> rows = new ArrayList<>();
    for (Expected e : expected()) {
      rows.add(
          RowFactory.create(
              e.id,
              e.name,
              e.qty,
              e.price,
              e.amount,
              e.active,
              e.day == null ? null : Date.valueOf(e.day),
              e.seenAt == null ? null : Timestamp.from(e.seenAt),
              e.region));
    }
    source = dir.resolve("source").toString();
    spark.createDataFrame(rows, schema).write().parquet(source);
  }

  @Test
  void writesOneWorkbookPerPartitionThatPoiReadsBackRowForRow() throws Exception {
    Path out = dir.resolve("excel");
    Manifest m =
        run(
            """
        name = orders-xlsx
        time-zone = "Europe/Berlin"
        source { format = parquet, path = "%s" }
        sink { format = excel, path = "%s", partition-by = [region], options { sheet-name = "Orders" } }
        """
                .formatted(source, out));

    List<Shown> read = new ArrayList<>();
    for (String region : List.of("east", "north", "south")) {
      List<Path> workbooks = files(out.resolve("region=" + region));
      assertThat(workbooks)
          .as(region)
          .hasSize(1)
          .allMatch(p -> p.getFileName().toString().endsWith(".c000.xlsx"));
      read.addAll(readWorkbook(workbooks.get(0), region, "Orders"));
    }
    read.sort(Comparator.comparingLong(Shown::id));
    assertThat(read).containsExactlyElementsOf(expected().stream().map(Expected::shown).toList());
    assertThat(m.totals().rows()).isEqualTo(ROWS);
    assertThat(m.sink().format()).isEqualTo("excel");
    assertThat(m.partitions())
        .extracting(p -> p.values().get("region") + "=" + p.rows())
        .containsExactlyInAnyOrder("east=50", "north=50", "south=50");
    assertManifestMatchesDisk(m, out);
  }

  @Test
  void headerIsBoldOnAFillFrozenAndFiltered() throws Exception {
    Path out = dir.resolve("look");
    run(
        """
        name = look
        source { format = parquet, path = "%s" }
        plan.select.exclude = [region]
        sink { format = excel, path = "%s" }
        """
            .formatted(source, out));

    for (Path file : files(out)) {
      try (XSSFWorkbook workbook = open(file)) {
        XSSFSheet sheet = workbook.getSheet("export");
        assertThat(workbook.getNumberOfSheets()).isEqualTo(1);
        for (int i = 0; i < COLUMNS.size(); i++) {
          XSSFCellStyle style = sheet.getRow(0).getCell(i).getCellStyle();
          assertThat(style.getFont().getBold()).as(COLUMNS.get(i)).isTrue();
          assertThat(style.getFillPattern()).isEqualTo(FillPatternType.SOLID_FOREGROUND);
        }
        assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
        assertThat(sheet.getPaneInformation().getHorizontalSplitPosition()).isEqualTo((short) 1);
        assertThat(sheet.getPaneInformation().getVerticalSplitPosition()).isZero();
        assertThat(sheet.getCTWorksheet().getAutoFilter().getRef())
            .isEqualTo("A1:H" + (sheet.getLastRowNum() + 1));
        assertThat(sheet.getRow(1).getCell(0).getCellStyle().getFont().getBold())
            .as("data rows plain")
            .isFalse();
      }
    }
  }

  @Test
  void maxRecordsPerFileSplitsTheExportIntoSeveralWorkbooks() throws Exception {
    Path out = dir.resolve("split");
    Manifest m =
        run(
            """
        name = split
        source { format = parquet, path = "%s" }
        sink { format = excel, path = "%s", max-records-per-file = 20, options { header = false } }
        """
                .formatted(source, out));

    assertThat(m.files())
        .hasSizeGreaterThanOrEqualTo(ROWS / 20)
        .allSatisfy(f -> assertThat(f.rows()).isBetween(1L, 20L));
    assertThat(m.files().stream().mapToLong(OutputFile::rows).sum()).isEqualTo(ROWS);
    for (OutputFile f : m.files()) {
      try (XSSFWorkbook workbook = open(out.resolve(f.path()))) {
        XSSFSheet sheet = workbook.getSheetAt(0);
        assertThat(sheet.getPhysicalNumberOfRows()).as(f.path()).isEqualTo((int) f.rows());
        assertThat(sheet.getRow(0).getCell(0).getCellType())
            .as("no header row")
            .isEqualTo(CellType.NUMERIC);
        assertThat(sheet.getPaneInformation()).as("no frozen header").isNull();
      }
    }
    assertManifestMatchesDisk(m, out);
  }

  @Test
  void aRerunReplacesTheWorkbooksOfItsPartition() throws Exception {
    Path out = dir.resolve("rerun");
    String hocon =
        """
        name = rerun
        params { region = null }
        source { format = parquet, path = "%s" }
        plan.where = { column = region, eq = ${params.region} }
        sink { format = excel, path = "%s", partition-by = [region], file-name = "{job}-{run}-{part}" }
        """
            .formatted(source, out);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    runner.run(Fixtures.job(dir, hocon, Map.of("region", "north")));
    Manifest other = runner.run(Fixtures.job(dir, hocon, Map.of("region", "south"))).manifest();
    Manifest again = runner.run(Fixtures.job(dir, hocon, Map.of("region", "north"))).manifest();

    assertThat(files(out.resolve("region=north")))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getFileName().toString())
                    .isEqualTo("rerun-" + again.runId() + "-00000.c000.xlsx"));
    assertThat(files(out.resolve("region=south")))
        .singleElement()
        .satisfies(p -> assertThat(p.getFileName().toString()).contains(other.runId()));
    assertThat(readWorkbook(files(out.resolve("region=north")).get(0), "north", "export"))
        .hasSize(50);
    assertThat(again.files())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path())
                  .isEqualTo("region=north/rerun-" + again.runId() + "-00000.c000.xlsx");
              assertThat(f.rows()).isEqualTo(50);
            });
  }

  @Test
  void aColumnExcelCannotHoldIsAProblemOfTheSinkLine() {
    Path out = dir.resolve("array");
    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () ->
                run(
                    """
        name = array
        source { format = parquet, path = "%s" }
        plan.derive { tags = "array(name, region)" }
        sink { format = excel, path = "%s" }
        """
                        .formatted(source, out)));

    assertThat(e)
        .hasMessage(
            Fixtures.displayed(dir.resolve("job.conf"))
                + ":4: sink: cannot write "
                + out
                + ": [UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Excel datasource doesn't support the column \"tags\" of the type"
                + " \"ARRAY<STRING>\". Convert the column in plan.derive (e.g. to_json(column) or concat_ws(',', column)), or"
                + " leave it out with plan.select.exclude.");
    assertThat(out).doesNotExist();
  }

  @Test
  void sparkFindsTheSourceByItsShortNameForWritingOnly() throws Exception {
    Path out = dir.resolve("short-name");
    spark
        .range(3)
        .write()
        .format(ExcelFileFormat.SHORT_NAME)
        .option(ExcelOptions.SHEET_NAME, "ids")
        .option(ExcelOptions.HEADER, "true")
        .option(ExcelOptions.FREEZE_HEADER, "false")
        .option(ExcelOptions.AUTO_FILTER, "false")
        .option(ExcelOptions.DATE_FORMAT, "yyyy-mm-dd")
        .option(ExcelOptions.TIMESTAMP_FORMAT, "yyyy-mm-dd hh:mm")
        .save(out.toString());

    long rows = 0;
    for (Path file : files(out)) {
      try (XSSFWorkbook workbook = open(file)) {
        rows += workbook.getSheet("ids").getLastRowNum();
      }
    }
    assertThat(rows).isEqualTo(3);
    UnsupportedOperationException e =
        catchThrowableOfType(
            UnsupportedOperationException.class,
            () -> spark.read().format(ExcelFileFormat.SHORT_NAME).load(out.toString()));
    assertThat(e)
        .hasMessageStartingWith(
            "Cannot read Excel files: Lakeport writes Excel but does not read it");
  }

  private Manifest run(String hocon) {
    return new ExportRunner(spark, Clock.systemUTC())
        .run(Fixtures.job(dir, hocon, Map.of()))
        .manifest();
  }

  /** The data rows of a workbook as POI reads them, with the header checked. */
  private static List<Shown> readWorkbook(Path file, String region, String sheetName)
      throws Exception {
    List<Shown> rows = new ArrayList<>();
    try (XSSFWorkbook workbook = open(file)) {
      XSSFSheet sheet = workbook.getSheet(sheetName);
      assertThat(sheet).as(file + " has sheet " + sheetName).isNotNull();
      List<String> header = new ArrayList<>();
      sheet.getRow(0).forEach(cell -> header.add(cell.getStringCellValue()));
      assertThat(header).isEqualTo(COLUMNS);
      for (int r = 1; r <= sheet.getLastRowNum(); r++) {
        XSSFRow row = sheet.getRow(r);
        rows.add(
            new Shown(
                (long) number(row.getCell(0)),
                text(row.getCell(1)),
                integer(row.getCell(2)),
                decimal(row.getCell(3)),
                amount(row.getCell(4)),
                row.getCell(5) == null ? null : row.getCell(5).getBooleanCellValue(),
                date(row.getCell(6)) == null ? null : date(row.getCell(6)).toLocalDate(),
                date(row.getCell(7)),
                region));
      }
    }
    return rows;
  }

  private static XSSFWorkbook open(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return new XSSFWorkbook(in);
    }
  }

  private static double number(Cell cell) {
    assertThat(cell.getCellType()).isEqualTo(CellType.NUMERIC);
    return cell.getNumericCellValue();
  }

  private static String text(Cell cell) {
    return cell == null ? null : cell.getStringCellValue();
  }

  private static Integer integer(Cell cell) {
    return cell == null ? null : (int) number(cell);
  }

  private static Double decimal(Cell cell) {
    return cell == null ? null : number(cell);
  }

  private static BigDecimal amount(Cell cell) {
    return cell == null
        ? null
        : BigDecimal.valueOf(number(cell)).setScale(2, RoundingMode.UNNECESSARY);
  }

  private static LocalDateTime date(Cell cell) {
    if (cell == null) {
      return null;
    }
    assertThat(DateUtil.isCellDateFormatted(cell))
        .as("date style on " + cell.getAddress())
        .isTrue();
    return cell.getLocalDateTimeCellValue();
  }

  private static List<Path> files(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(
              p ->
                  !p.getFileName().toString().startsWith(".")
                      && !p.getFileName().toString().startsWith("_"))
          .sorted()
          .toList();
    }
  }

  /**
   * Every workbook on disk is in the manifest with its size, SHA-256, zip content size and the rows
   * POI finds.
   */
  private static void assertManifestMatchesDisk(Manifest m, Path root) throws Exception {
    List<String> onDisk = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      all.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .filter(
              p ->
                  !p.startsWith("_")
                      && !p.contains("/_")
                      && !p.startsWith(".")
                      && !p.contains("/."))
          .forEach(onDisk::add);
    }
    assertThat(m.files()).extracting(OutputFile::path).containsExactlyInAnyOrderElementsOf(onDisk);
    for (OutputFile f : m.files()) {
      Path file = root.resolve(f.path());
      assertThat(f.bytes()).isEqualTo(Files.size(file));
      assertThat(f.sha256())
          .isEqualTo(
              HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
      try (ZipFile zip = new ZipFile(file.toFile())) {
        assertThat(f.uncompressedBytes())
            .as(f.path())
            .isEqualTo(Collections.list(zip.entries()).stream().mapToLong(ZipEntry::getSize).sum());
      }
      try (XSSFWorkbook workbook = open(file)) {
        XSSFSheet sheet = workbook.getSheetAt(0);
        boolean header =
            sheet.getRow(0) != null && sheet.getRow(0).getCell(0).getCellType() == CellType.STRING;
        assertThat(f.rows())
            .as(f.path())
            .isEqualTo(sheet.getPhysicalNumberOfRows() - (header ? 1 : 0));
      }
    }
    assertThat(m.totals().files()).isEqualTo(m.files().size());
    assertThat(m.totals().bytes()).isEqualTo(m.files().stream().mapToLong(OutputFile::bytes).sum());
  }

  private static List<Expected> expected() {
    List<Expected> rows = new ArrayList<>();
    List<String> regions = List.of("north", "south", "east");
    for (long i = 0; i < ROWS; i++) {
      String name =
          i % 10 == 0
              ? null
              : i % 7 == 0
                  ? "comma, \"quote\"\nnewline & <tag> é " + i
                  : i % 11 == 0 ? "=1+" + i : "name-" + i;
      rows.add(
          new Expected(
              i,
              name,
              i % 13 == 0 ? null : (int) (i * 37 % 1000) - 500,
              i % 9 == 0 ? null : i / 8.0,
              i % 6 == 0 ? null : BigDecimal.valueOf(i * 12_345 - 900_000, 2),
              i % 5 == 0 ? null : i % 2 == 0,
              i % 8 == 0 ? null : LocalDate.parse("2026-10-20").plusDays(i % 10),
              i % 12 == 0 ? null : Instant.parse("2026-10-24T22:00:00Z").plusSeconds(i * 1_201),
              regions.get((int) (i % 3))));
    }
    return rows;
  }

  private record Expected(
      long id,
      String name,
      Integer qty,
      Double price,
      BigDecimal amount,
      Boolean active,
      LocalDate day,
      Instant seenAt,
      String region) {
    /** What a spreadsheet shows: local date-times in the job's zone, as Excel has no time zones. */
    Shown shown() {
      return new Shown(
          id,
          name,
          qty,
          price,
          amount,
          active,
          day,
          seenAt == null ? null : LocalDateTime.ofInstant(seenAt, BERLIN),
          region);
    }
  }

  private record Shown(
      long id,
      String name,
      Integer qty,
      Double price,
      BigDecimal amount,
      Boolean active,
      LocalDate day,
      LocalDateTime seenAt,
      String region) {}
}
