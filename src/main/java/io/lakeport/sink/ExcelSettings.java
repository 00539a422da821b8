package io.lakeport.sink;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.ZoneId;

/**
 * How the workbooks of one write look, read from the writer options on the driver and shipped to
 * the tasks. Timestamps are shown in {@code zone} (Excel has no time zones).
 */
record ExcelSettings(
    String sheetName,
    boolean header,
    boolean freezeHeader,
    boolean autoFilter,
    String dateFormat,
    String timestampFormat,
    ZoneId zone)
    implements Serializable {

  ExcelSettings {
    requireNonNull(sheetName, "sheetName is null");
    requireNonNull(dateFormat, "dateFormat is null");
    requireNonNull(timestampFormat, "timestampFormat is null");
    requireNonNull(zone, "zone is null");
  }
}
