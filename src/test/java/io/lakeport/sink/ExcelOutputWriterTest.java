package io.lakeport.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One workbook writer on its own, without Spark: the refusal above a sheet's row limit (tested with
 * a small limit instead of a million rows), dates Excel cannot show, text too long for a cell,
 * column widths, and the temporary files of the streaming writer removed on close.
 */
class ExcelOutputWriterTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("note", DataTypes.StringType)
          .add("day", DataTypes.DateType);

  @TempDir Path dir;

  @Test
  void refusesTheRowAfterTheLimitAndLeavesNoWorkbook() {
    Path file = dir.resolve("full.xlsx");
    ExcelOutputWriter writer = writer(file, settings(true), 3);
    for (long i = 0; i < 3; i++) {
      writer.write(row(i, "n" + i, 0));
    }

    IllegalStateException e =
        catchThrowableOfType(IllegalStateException.class, () -> writer.write(row(3, "n3", 0)));
    writer.close();

    assertThat(e)
        .hasMessage(
            "Cannot write "
                + file
                + ": an Excel sheet holds at most 4 rows (3 below the header); "
                + "set sink.max-records-per-file = 3 to split the export into several workbooks");
    assertThat(file).doesNotExist();
  }

  @Test
  void writesUpToTheLimit() throws Exception {
    Path file = dir.resolve("at-limit.xlsx");
    ExcelOutputWriter writer = writer(file, settings(false), 3);
    for (long i = 0; i < 3; i++) {
      writer.write(row(i, "n" + i, 0));
    }
    writer.close();

    try (Workbook workbook = read(file)) {
      Sheet sheet = workbook.getSheet("export");
      assertThat(sheet.getPhysicalNumberOfRows()).isEqualTo(3);
      assertThat(sheet.getRow(0).getCell(0).getNumericCellValue()).isEqualTo(0.0);
      assertThat(sheet.getRow(2).getCell(1).getStringCellValue()).isEqualTo("n2");
    }
  }

  @Test
  void withoutAHeaderTheWholeSheetIsData() {
    ExcelOutputWriter writer = writer(dir.resolve("no-header.xlsx"), settings(false), 2);
    writer.write(row(0, "a", 0));
    writer.write(row(1, "b", 0));

    IllegalStateException e =
        catchThrowableOfType(IllegalStateException.class, () -> writer.write(row(2, "c", 0)));
    writer.close();

    assertThat(e.getMessage())
        .endsWith(
            ": an Excel sheet holds at most 2 rows; "
                + "set sink.max-records-per-file = 2 to split the export into several workbooks");
  }

  @Test
  void datesOutsideExcelsCalendarBecomeIsoText() throws Exception {
    Path file = dir.resolve("dates.xlsx");
    ExcelOutputWriter writer = writer(file, settings(true), 10);
    writer.write(row(1, "before", LocalDate.parse("1899-12-31").toEpochDay()));
    writer.write(row(2, "first", LocalDate.parse("1900-01-01").toEpochDay()));
    writer.write(row(3, "after", LocalDate.parse("+10000-01-01").toEpochDay()));
    writer.close();

    try (Workbook workbook = read(file)) {
      Sheet sheet = workbook.getSheetAt(0);
      assertThat(sheet.getRow(1).getCell(2).getStringCellValue()).isEqualTo("1899-12-31");
      assertThat(sheet.getRow(2).getCell(2).getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(sheet.getRow(2).getCell(2).getLocalDateTimeCellValue().toLocalDate())
          .isEqualTo(LocalDate.parse("1900-01-01"));
      assertThat(sheet.getRow(3).getCell(2).getStringCellValue()).isEqualTo("+10000-01-01");
    }
  }

  @Test
  void refusesTextLongerThanACellHolds() {
    ExcelOutputWriter writer = writer(dir.resolve("long.xlsx"), settings(true), 10);

    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class,
            () -> writer.write(row(1, "x".repeat(ExcelCells.MAX_TEXT + 1), 0)));
    writer.close();

    assertThat(e)
        .hasMessage("an Excel cell holds at most 32,767 characters, column 2 has a value of 32768");
  }

  @Test
  void columnsAreAsWideAsTheirLongestValueUpToACap() throws Exception {
    Path file = dir.resolve("widths.xlsx");
    ExcelOutputWriter writer = writer(file, settings(true), 10);
    writer.write(row(123_456_789_012L, "y".repeat(500), 0));
    writer.close();

    try (Workbook workbook = read(file)) {
      Sheet sheet = workbook.getSheetAt(0);
      assertThat(sheet.getColumnWidth(0)).as("12 digits + 1").isEqualTo(13 * 256);
      assertThat(sheet.getColumnWidth(1)).as("capped").isEqualTo(60 * 256);
      assertThat(sheet.getColumnWidth(2)).as("yyyy-mm-dd + 1").isEqualTo(11 * 256);
    }
  }

  @Test
  void leavesNoTemporaryFilesBehindWrittenOrRefused() throws Exception {
    Path temporary = Files.createDirectory(dir.resolve("poi-temp"));
    TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy(temporary.toFile()));
    try {
      ExcelOutputWriter written = writer(dir.resolve("written.xlsx"), settings(true), 300);
      ExcelOutputWriter refused = writer(dir.resolve("refused.xlsx"), settings(true), 200);
      for (long i = 0; i < 200; i++) {
        written.write(row(i, "n" + i, 0));
        refused.write(row(i, "n" + i, 0));
      }
      assertThat(
              catchThrowableOfType(
                  IllegalStateException.class, () -> refused.write(row(200, "n", 0))))
          .as("a workbook full at its limit refuses the next row")
          .isNotNull();
      try (Stream<Path> during = Files.walk(temporary)) {
        assertThat(during.filter(Files::isRegularFile))
            .as("SXSSF spills rows to temporary files")
            .hasSize(2);
      }

      written.close();
      refused.close();

      try (Stream<Path> after = Files.walk(temporary)) {
        assertThat(after.filter(Files::isRegularFile)).isEmpty();
      }
      assertThat(dir.resolve("written.xlsx")).isRegularFile();
    } finally {
      TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy());
    }
  }

  private static ExcelSettings settings(boolean header) {
    return new ExcelSettings(
        "export", header, header, header, "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", ZoneId.of("UTC"));
  }

  private static ExcelOutputWriter writer(Path file, ExcelSettings settings, long maxDataRows) {
    return new ExcelOutputWriter(
        file.toString(), SCHEMA, new Configuration(), settings, maxDataRows);
  }

  private static InternalRow row(long id, String note, long day) {
    return new GenericInternalRow(new Object[] {id, UTF8String.fromString(note), (int) day});
  }

  private static Workbook read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return new XSSFWorkbook(in);
    }
  }
}
