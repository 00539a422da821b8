package io.lakeport.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line as in job files and site settings: {@code 90s}, {@code 10m}, {@code
 * 2h}.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      Duration duration =
          ConfigFactory.empty()
              .withValue("d", ConfigValueFactory.fromAnyRef(value))
              .getDuration("d");
      if (duration.isNegative()) {
        throw new TypeConversionException("a duration cannot be negative: " + value);
      }
      return duration;
    } catch (ConfigException e) {
      throw new TypeConversionException(
          "not a duration: " + value + " (write e.g. 90s, 10m or 2h)");
    }
  }
}
