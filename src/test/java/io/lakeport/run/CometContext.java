package io.lakeport.run;

import io.lakeport.config.Site;
import java.util.Map;

/**
 * The Spark context settings that load Comet, exactly as Lakeport derives them from a site ({@link
 * Acceleration#contextSettings}), for test sessions built outside {@link Sessions#create}.
 */
public final class CometContext {
  private CometContext() {}

  /** Comet's plugin, shuffle manager, off-heap memory and the site's {@code comet.conf}. */
  public static Map<String, String> settings(Site site) {
    return Acceleration.contextSettings(site.accelerator(), true, key -> null);
  }
}
