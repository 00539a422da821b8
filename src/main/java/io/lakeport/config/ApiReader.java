package io.lakeport.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code lakeport.api} from the site settings. A token is never taken from the file: a {@code
 * token} key is refused with the two places it may come from.
 */
final class ApiReader {
  static final String ENABLED = "enabled";
  static final String ADDRESS = "address";
  static final String PORT = "port";
  static final String TOKEN = "token";
  static final String TOKEN_ENV = "token-env";
  static final String TOKEN_FILE = "token-file";
  static final String OPEN_READS = "open-reads";
  private static final String TOKEN_FIX =
      "Use token-env = <environment variable> or token-file = <file holding the token>.";

  private ApiReader() {}

  /** Reads {@code key} (the {@code api} block) of the {@code lakeport} section. */
  static ApiSettings read(Section site, String key) {
    Section api = refusingToken(site, key);
    boolean enabled = required(api, ENABLED);
    String address = api.string(ADDRESS);
    if (address.isBlank() && api.has(ADDRESS)) {
      api.problem(
          ADDRESS,
          "expected an address to listen on, found \"\"",
          "Use e.g. address = \"127.0.0.1\".");
    }
    int port = port(api);
    Optional<String> tokenEnv = api.optionalString(TOKEN_ENV);
    Optional<String> tokenFile = api.optionalString(TOKEN_FILE);
    if (tokenEnv.isPresent() && tokenFile.isPresent()) {
      api.problem(
          TOKEN_FILE, "the token comes from two places", "Keep one of token-env and token-file.");
    }
    boolean openReads = required(api, OPEN_READS);
    return new ApiSettings(
        enabled ? ApiSettings.Status.ENABLED : ApiSettings.Status.DISABLED,
        address,
        port,
        tokenEnv,
        tokenFile.map(Path::of),
        openReads ? ApiSettings.Reads.OPEN : ApiSettings.Reads.TOKEN);
  }

  /** The section, after reporting a {@code token} key as what it is (not as an unknown key). */
  private static Section refusingToken(Section site, String key) {
    Section probe = site.section(key);
    Config kept = probe.root();
    if (probe.has(TOKEN)) {
      probe.problem(TOKEN, "a token must not be written in a config file", TOKEN_FIX);
      kept = kept.withoutPath(probe.full(TOKEN));
    }
    return new Section(
        kept,
        probe.path(),
        probe.problems(),
        ENABLED,
        ADDRESS,
        PORT,
        TOKEN_ENV,
        TOKEN_FILE,
        OPEN_READS);
  }

  private static boolean required(Section api, String key) {
    if (!api.has(key)) {
      api.problem(key, "missing required setting", "Add " + key + " = true or false.");
      return false;
    }
    return api.optionalBoolean(key).orElse(false);
  }

  private static int port(Section api) {
    Optional<String> text = api.optionalString(PORT);
    Optional<Long> port = api.optionalLong(PORT);
    if (text.isEmpty()) {
      api.problem(
          PORT, "missing required setting", "Add port = <1 to 65535, or 0 for any free port>.");
    } else if (port.isPresent() && (port.get() < 0 || port.get() > 65535)) {
      api.problem(
          PORT,
          "expected a port from 0 to 65535, found \"" + text.get() + "\"",
          "Use e.g. port = 8470 (0: any free port, printed at start).");
    }
    return port.filter(p -> p >= 0 && p <= 65535).orElse(0L).intValue();
  }
}
