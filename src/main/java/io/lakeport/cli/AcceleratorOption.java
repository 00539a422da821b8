package io.lakeport.cli;

import io.lakeport.config.AcceleratorSettings.Accelerator;
import io.lakeport.config.Site;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --accelerator auto|none|comet} option of the commands that start Spark: this command's
 * choice over the site's {@code lakeport.spark.accelerator} (and {@code LAKEPORT_ACCELERATOR}), so
 * one run can be tried on Comet, or taken off it, without editing the site settings.
 */
final class AcceleratorOption {
  @Option(
      names = "--accelerator",
      paramLabel = "NAME",
      converter = AcceleratorConverter.class,
      description =
          "auto (comet in embedded local runs where it can run, else none), none (plain Spark)"
              + " or comet (Apache DataFusion Comet's native operators where they apply);"
              + " default: the site's lakeport.spark.accelerator (env LAKEPORT_ACCELERATOR),"
              + " auto unless set.")
  Optional<Accelerator> accelerator = Optional.empty();

  /** {@code site} with this command's accelerator, or as it is when the option is not given. */
  Site apply(Site site) {
    return accelerator.map(site::withAccelerator).orElse(site);
  }

  /** {@code auto}, {@code none} or {@code comet}, in any case. */
  static final class AcceleratorConverter implements ITypeConverter<Accelerator> {
    @Override
    public Accelerator convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "auto" -> Accelerator.AUTO;
        case "none" -> Accelerator.NONE;
        case "comet" -> Accelerator.COMET;
        default ->
            throw new TypeConversionException("expected auto, none or comet, not '" + value + "'");
      };
    }
  }
}
