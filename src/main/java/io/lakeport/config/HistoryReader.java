package io.lakeport.config;

import com.typesafe.config.Config;
import io.lakeport.config.HistorySettings.Database;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code lakeport.history} from the site settings. A password is never taken from the file:
 * neither as a key nor as a parameter of the URL.
 */
final class HistoryReader {
  static final String URL = "url";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String PASSWORD_ENV = "password-env";
  static final String PASSWORD_FILE = "password-file";
  static final String LOCK_TTL = "lock-ttl";
  static final String KEEP = "keep";
  private static final String PASSWORD_FIX =
      "Use password-env = <environment variable> or password-file = <file holding the password>.";

  /**
   * A password among a JDBC URL's parameters ({@code ?password=}, {@code &password=}, H2's {@code
   * ;PASSWORD=}).
   */
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)[?&;](password|pwd)=");

  /** H2's prefix for file databases; the path after it must not be implicitly relative. */
  private static final String H2_FILE = "jdbc:h2:file:";

  private static final Pattern EXPLICIT_PATH = Pattern.compile("(/|~|\\./|\\.\\./|[A-Za-z]:).*");

  private HistoryReader() {}

  /** Reads {@code key} (the {@code history} block) of the {@code lakeport} section. */
  static HistorySettings read(Section site, String key) {
    Section history = refusingPassword(site, key);
    String url = history.string(URL);
    Database database = database(history, url).orElse(Database.SQLITE);
    if (PASSWORD_IN_URL.matcher(url).find()) {
      history.problem(URL, "a password must not be written in the url", PASSWORD_FIX);
    }
    Optional<String> passwordEnv = history.optionalString(PASSWORD_ENV);
    Optional<String> passwordFile = history.optionalString(PASSWORD_FILE);
    if (passwordEnv.isPresent() && passwordFile.isPresent()) {
      history.problem(
          PASSWORD_FILE,
          "the password comes from two places",
          "Keep one of password-env and password-file.");
    }
    return new HistorySettings(
        explicitH2Path(url),
        database,
        history.optionalString(USER),
        passwordEnv,
        passwordFile,
        lockTtl(history),
        keep(history));
  }

  /** The section, after reporting a {@code password} key as what it is (not as an unknown key). */
  private static Section refusingPassword(Section site, String key) {
    Section probe = site.section(key);
    Config kept = probe.root();
    if (probe.has(PASSWORD)) {
      probe.problem(PASSWORD, "a password must not be written in a config file", PASSWORD_FIX);
      kept = kept.withoutPath(probe.full(PASSWORD));
    }
    return new Section(
        kept,
        probe.path(),
        probe.problems(),
        URL,
        USER,
        PASSWORD_ENV,
        PASSWORD_FILE,
        LOCK_TTL,
        KEEP);
  }

  private static Optional<Database> database(Section history, String url) {
    if (url.isEmpty()) {
      return Optional.empty();
    }
    Optional<Database> database = Database.of(url);
    if (database.isEmpty()) {
      history.problem(
          URL,
          "the run history is kept in SQLite, H2 or PostgreSQL, not in \""
              + Secrets.mask(url)
              + "\"",
          "Write e.g. url = \"jdbc:postgresql://db.internal:5432/lakeport\", or remove url for the embedded SQLite file.");
    }
    return database;
  }

  private static Duration lockTtl(Section history) {
    if (!history.has(LOCK_TTL)) {
      history.problem(
          LOCK_TTL, "missing required setting", "Add lock-ttl = <duration, e.g. 5 minutes>.");
      return Duration.ofMinutes(1);
    }
    Optional<Duration> ttl = history.optionalDuration(LOCK_TTL);
    if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
      history.problem(
          LOCK_TTL,
          "expected a duration longer than zero, found \""
              + history.optionalString(LOCK_TTL).orElse("")
              + "\"",
          "Use e.g. lock-ttl = 5 minutes (longer than the scheduler's heartbeat interval).");
    }
    return ttl.orElse(Duration.ofMinutes(1));
  }

  /** How long ended runs are kept; null: forever. */
  private static Optional<Duration> keep(Section history) {
    Optional<Duration> keep = history.optionalDuration(KEEP);
    if (keep.isPresent() && (keep.get().isNegative() || keep.get().isZero())) {
      history.problem(
          KEEP,
          "expected a duration longer than zero, found \""
              + history.optionalString(KEEP).orElse("")
              + "\"",
          "Use e.g. keep = 90d, or keep = null to keep every run.");
      return Optional.empty();
    }
    return keep;
  }

  /**
   * H2 refuses file paths that are implicitly relative to the working directory ({@code
   * jdbc:h2:file:data/x}); a relative {@code lakeport.home} makes such paths, so they get the
   * {@code ./} H2 asks for.
   */
  private static String explicitH2Path(String url) {
    if (url.startsWith(H2_FILE)
        && !EXPLICIT_PATH.matcher(url.substring(H2_FILE.length())).matches()) {
      return H2_FILE + "./" + url.substring(H2_FILE.length());
    }
    return url;
  }
}
