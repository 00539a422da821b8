package io.lakeport.sink;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Puts Spark values into cells by column type: numbers as numeric cells, booleans as boolean cells,
 * dates and timestamps as Excel dates (numbers with a date style; timestamps as local date-times in
 * the session's zone), text as text. Excel's dates start in 1900 and end in 9999, so dates outside
 * are written as ISO text rather than as a wrong number.
 */
final class ExcelCells {
  /** Longest text Excel keeps in one cell. */
  static final int MAX_TEXT = 32_767;

  private static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
  private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

  private enum Kind {
    TEXT,
    BYTE,
    SHORT,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    DECIMAL,
    BOOLEAN,
    DATE,
    TIMESTAMP,
    TIMESTAMP_NTZ
  }

  private final Kind[] kinds;
  private final DecimalType[] decimals;
  private final ExcelSettings settings;
  private final CellStyle date;
  private final CellStyle timestamp;

  ExcelCells(Workbook workbook, StructType schema, ExcelSettings settings) {
    this.settings = settings;
    this.kinds = new Kind[schema.fields().length];
    this.decimals = new DecimalType[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      DataType type = schema.fields()[i].dataType();
      kinds[i] =
          kind(type)
              .orElseThrow(
                  () -> new IllegalArgumentException("Excel cells cannot hold " + type.sql()));
      decimals[i] = type instanceof DecimalType d ? d : null;
    }
    this.date = dateStyle(workbook, settings.dateFormat());
    this.timestamp = dateStyle(workbook, settings.timestampFormat());
  }

  /**
   * Whether a column of this type can be written: atomic values only, no binary, arrays, maps or
   * structs.
   */
  static boolean supports(DataType type) {
    return kind(type).isPresent();
  }

  private static Optional<Kind> kind(DataType type) {
    Kind kind =
        type instanceof StringType
            ? Kind.TEXT
            : type instanceof ByteType
                ? Kind.BYTE
                : type instanceof ShortType
                    ? Kind.SHORT
                    : type instanceof IntegerType
                        ? Kind.INT
                        : type instanceof LongType
                            ? Kind.LONG
                            : type instanceof FloatType
                                ? Kind.FLOAT
                                : type instanceof DoubleType
                                    ? Kind.DOUBLE
                                    : type instanceof DecimalType
                                        ? Kind.DECIMAL
                                        : type instanceof BooleanType
                                            ? Kind.BOOLEAN
                                            : type instanceof DateType
                                                ? Kind.DATE
                                                : type instanceof TimestampType
                                                    ? Kind.TIMESTAMP
                                                    : type instanceof TimestampNTZType
                                                        ? Kind.TIMESTAMP_NTZ
                                                        : null;
    return Optional.ofNullable(kind);
  }

  private static CellStyle dateStyle(Workbook workbook, String format) {
    CellStyle style = workbook.createCellStyle();
    style.setDataFormat(workbook.createDataFormat().getFormat(format));
    return style;
  }

  /**
   * Sets {@code cell} to the non-null value at {@code ordinal} of {@code row}; returns about how
   * many characters Excel shows for it, for the column's width.
   */
  int set(Cell cell, InternalRow row, int ordinal) {
    return switch (kinds[ordinal]) {
      case TEXT -> text(cell, row.getUTF8String(ordinal).toString(), ordinal);
      case BYTE -> number(cell, row.getByte(ordinal));
      case SHORT -> number(cell, row.getShort(ordinal));
      case INT -> number(cell, row.getInt(ordinal));
      case LONG -> number(cell, row.getLong(ordinal));
      case FLOAT -> decimal(cell, Double.parseDouble(Float.toString(row.getFloat(ordinal))));
      case DOUBLE -> decimal(cell, row.getDouble(ordinal));
      case DECIMAL ->
          decimal(
              cell,
              row.getDecimal(ordinal, decimals[ordinal].precision(), decimals[ordinal].scale())
                  .toJavaBigDecimal());
      case BOOLEAN -> {
        cell.setCellValue(row.getBoolean(ordinal));
        yield 5;
      }
      case DATE -> date(cell, LocalDate.ofEpochDay(row.getInt(ordinal)));
      case TIMESTAMP ->
          timestamp(cell, LocalDateTime.ofInstant(instant(row.getLong(ordinal)), settings.zone()));
      case TIMESTAMP_NTZ ->
          timestamp(cell, LocalDateTime.ofInstant(instant(row.getLong(ordinal)), ZoneOffset.UTC));
    };
  }

  private static int text(Cell cell, String value, int ordinal) {
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "an Excel cell holds at most 32,767 characters, column "
              + (ordinal + 1)
              + " has a value of "
              + value.length());
    }
    return plain(cell, value);
  }

  private static int plain(Cell cell, String value) {
    cell.setCellValue(value);
    return value.length();
  }

  private static int number(Cell cell, long value) {
    cell.setCellValue(value);
    return Long.toString(value).length();
  }

  private static int decimal(Cell cell, double value) {
    cell.setCellValue(value);
    return Math.min(Double.toString(value).length(), 16);
  }

  private static int decimal(Cell cell, BigDecimal value) {
    cell.setCellValue(value.doubleValue());
    return value.toPlainString().length();
  }

  private int date(Cell cell, LocalDate value) {
    if (value.isBefore(FIRST_DAY) || value.isAfter(LAST_DAY)) {
      return plain(cell, value.toString());
    }
    cell.setCellValue(value);
    cell.setCellStyle(date);
    return settings.dateFormat().length();
  }

  private int timestamp(Cell cell, LocalDateTime value) {
    if (value.toLocalDate().isBefore(FIRST_DAY) || value.toLocalDate().isAfter(LAST_DAY)) {
      return plain(cell, value.toString());
    }
    cell.setCellValue(value);
    cell.setCellStyle(timestamp);
    return settings.timestampFormat().length();
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
