package io.lakeport.plan;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.try_to_timestamp;

import io.lakeport.config.PlanSpec.Standardization;
import io.lakeport.config.PlanSpec.TemporalType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Parses a column into a date or timestamp. A value that does not parse becomes null (never an
 * error that stops the run); the compiler counts those values so none is lost unnoticed.
 */
final class Standardizer {
  private Standardizer() {}

  static Column parse(Column column, DataType type, Standardization s) {
    Column timestamp = timestamp(column, type, s.from());
    return s.to() == TemporalType.DATE ? to_date(timestamp) : timestamp;
  }

  private static Column timestamp(Column column, DataType type, String from) {
    if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      return column; // a zone-less column stays zone-less
    }
    if (type instanceof DateType) {
      return column.cast(DataTypes.TimestampType);
    }
    return switch (from) {
      case Standardization.ISO -> try_to_timestamp(column.cast(DataTypes.StringType));
      case Standardization.EPOCH_SECONDS ->
          timestamp_seconds(column.try_cast(DataTypes.DoubleType));
      case Standardization.EPOCH_MILLIS -> timestamp_millis(column.try_cast(DataTypes.LongType));
      default -> try_to_timestamp(column.cast(DataTypes.StringType), lit(from));
    };
  }
}
