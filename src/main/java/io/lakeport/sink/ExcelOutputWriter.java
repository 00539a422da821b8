package io.lakeport.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.Zip64RequiredException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one workbook: rows stream through POI's SXSSF writer, which keeps a small window of rows
 * in memory and the rest in a compressed temporary file; the workbook is written to the output path
 * on close. Column widths follow the longest value seen (capped); the auto filter covers the rows
 * written.
 */
final class ExcelOutputWriter extends OutputWriter {
  /** Rows SXSSF keeps in memory before flushing them to its temporary file. */
  private static final int ROW_WINDOW = 100;

  /** Widest column, in characters. */
  private static final int MAX_WIDTH = 60;

  /** Room for the filter drop-down beside a header name, in characters. */
  private static final int FILTER_BUTTON = 3;

  private final String path;
  private final Configuration conf;
  private final ExcelSettings settings;
  private final long maxDataRows;
  private final int columns;
  private final int[] widths;
  private final SXSSFWorkbook workbook;
  private final SXSSFSheet sheet;
  private final ExcelCells cells;
  private long rows;
  private boolean refused;

  /**
   * {@code maxDataRows}: rows below the header this file may hold (Excel's limit, smaller in
   * tests).
   */
  ExcelOutputWriter(
      String path,
      StructType schema,
      Configuration conf,
      ExcelSettings settings,
      long maxDataRows) {
    this.path = path;
    this.conf = conf;
    this.settings = settings;
    this.maxDataRows = maxDataRows;
    this.columns = schema.fields().length;
    this.widths = new int[columns];
    this.workbook = new SXSSFWorkbook(ROW_WINDOW);
    workbook.setCompressTempFiles(true);
    // POI's default (as needed) writes Zip64 data descriptors that the JDK's ZipInputStream
    // and other streaming readers misread; plain zip holds sheets up to 4 GB of XML,
    // and larger ones fail clearly.
    workbook.setZip64Mode(Zip64Mode.Never);
    this.sheet = workbook.createSheet(settings.sheetName());
    this.cells = new ExcelCells(workbook, schema, settings);
    if (settings.header()) {
      writeHeader(schema);
    }
  }

  private void writeHeader(StructType schema) {
    CellStyle style = headerStyle();
    Row header = sheet.createRow(0);
    for (int i = 0; i < columns; i++) {
      Cell cell = header.createCell(i);
      cell.setCellValue(schema.fields()[i].name());
      cell.setCellStyle(style);
      widths[i] = schema.fields()[i].name().length() + (settings.autoFilter() ? FILTER_BUTTON : 0);
    }
    if (settings.freezeHeader()) {
      sheet.createFreezePane(0, 1);
    }
  }

  private CellStyle headerStyle() {
    Font bold = workbook.createFont();
    bold.setBold(true);
    CellStyle style = workbook.createCellStyle();
    style.setFont(bold);
    style.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
    style.setFillPattern(FillPatternType.SOLID_FOREGROUND);
    return style;
  }

  @Override
  public void write(InternalRow row) {
    if (rows == maxDataRows) {
      refused = true;
      throw new IllegalStateException(tooManyRows());
    }
    Row excel = sheet.createRow((int) (rows + (settings.header() ? 1 : 0)));
    for (int i = 0; i < columns; i++) {
      if (!row.isNullAt(i)) {
        widths[i] = Math.max(widths[i], cells.set(excel.createCell(i), row, i));
      }
    }
    rows++;
  }

  private String tooManyRows() {
    long sheetRows = maxDataRows + (settings.header() ? 1 : 0);
    String below =
        settings.header() ? String.format(Locale.ROOT, " (%,d below the header)", maxDataRows) : "";
    return String.format(
        Locale.ROOT,
        "Cannot write %s: an Excel sheet holds at most %,d rows%s; set "
            + "sink.max-records-per-file = %d to split the export into several workbooks",
        path,
        sheetRows,
        below,
        maxDataRows);
  }

  /** Writes the workbook, unless a row was refused; closing it deletes SXSSF's temporary file. */
  @Override
  public void close() {
    try (workbook) {
      if (!refused) {
        finish();
        Path target = new Path(path);
        try (OutputStream out = target.getFileSystem(conf).create(target, false)) {
          workbook.write(out);
        }
      }
    } catch (Zip64RequiredException e) {
      throw new UncheckedIOException(
          "Cannot write "
              + path
              + ": "
              + e.getMessage()
              + " (an xlsx part without Zip64); "
              + "set sink.max-records-per-file lower to split the export into smaller workbooks",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** Column widths and the auto filter, which depend on all the rows. */
  private void finish() {
    for (int i = 0; i < columns; i++) {
      sheet.setColumnWidth(i, Math.min(MAX_WIDTH, Math.max(widths[i], 4) + 1) * 256);
    }
    if (settings.header() && settings.autoFilter() && columns > 0) {
      sheet.setAutoFilter(new CellRangeAddress(0, (int) rows, 0, columns - 1));
    }
  }

  @Override
  public String path() {
    return path;
  }
}
