package io.lakeport.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads {@code lakeport.airflow} from the site settings. As for the run history, a password is
 * never taken from the file, only the name of the variable or file that holds it.
 */
final class AirflowReader {
  static final String URL = "url";
  static final String VERSION = "version";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String PASSWORD_ENV = "password-env";
  static final String PASSWORD_FILE = "password-file";
  static final String REQUEST_TIMEOUT = "request-timeout";
  static final String DAGS = "dags";
  private static final String HOME = "home";
  private static final String APPLICATION = "application";
  private static final String CONN_ID = "conn-id";
  private static final String PACKAGES = "packages";
  private static final String CONF = "conf";
  private static final String TEMPLATE = "template";
  private static final String PASSWORD_FIX =
      "Use password-env = <environment variable> or password-file = <file holding the password>.";

  private AirflowReader() {}

  /** Reads {@code key} (the {@code airflow} block) of the {@code lakeport} section. */
  static AirflowSettings read(Section site, String key) {
    Section airflow = refusingPassword(site, key);
    Optional<URI> url = url(airflow);
    AirflowSettings.Version version = version(airflow);
    Optional<String> user = airflow.optionalString(USER);
    Optional<String> passwordEnv = airflow.optionalString(PASSWORD_ENV);
    Optional<String> passwordFile = airflow.optionalString(PASSWORD_FILE);
    if (passwordEnv.isPresent() && passwordFile.isPresent()) {
      airflow.problem(
          PASSWORD_FILE,
          "the password comes from two places",
          "Keep one of password-env and password-file.");
    }
    if (url.isPresent() && user.isEmpty()) {
      airflow.problem(
          USER,
          "the Airflow REST API needs a user",
          "Add user = <Airflow user>, with password-env or password-file.");
    }
    Optional<Duration> timeout = airflow.optionalDuration(REQUEST_TIMEOUT);
    if (timeout.isEmpty() || timeout.get().isNegative() || timeout.get().isZero()) {
      airflow.problem(
          REQUEST_TIMEOUT,
          "expected a duration longer than zero, found \""
              + airflow.optionalString(REQUEST_TIMEOUT).orElse("")
              + "\"",
          "Use e.g. request-timeout = 30s.");
    }
    return new AirflowSettings(
        url,
        version,
        user,
        passwordEnv,
        passwordFile,
        timeout.filter(d -> !d.isNegative() && !d.isZero()).orElse(Duration.ofSeconds(30)),
        dags(airflow.section(DAGS, HOME, APPLICATION, CONN_ID, PACKAGES, CONF, TEMPLATE)));
  }

  private static Optional<URI> url(Section airflow) {
    Optional<String> text = airflow.optionalString(URL);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.get());
      if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        airflow.problem(
            URL,
            "expected the http(s) address of the Airflow webserver, found \""
                + Secrets.maskUrl(text.get())
                + "\"",
            "Write e.g. url = \"https://airflow.internal:8080\".");
        return Optional.empty();
      }
      if (uri.getUserInfo() != null) {
        airflow.problem(
            URL,
            "a user or password must not be written in the url",
            "Write the url without them; set user, and password-env or password-file.");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      airflow.problem(
          URL,
          "not a URL: \"" + Secrets.maskUrl(text.get()) + "\" (" + e.getReason() + ")",
          "Write e.g. url = \"https://airflow.internal:8080\".");
      return Optional.empty();
    }
  }

  private static AirflowSettings.Version version(Section airflow) {
    String text = airflow.optionalString(VERSION).orElse("");
    return switch (text) {
      case "2" -> AirflowSettings.Version.AIRFLOW_2;
      case "3" -> AirflowSettings.Version.AIRFLOW_3;
      default -> {
        airflow.problem(
            VERSION,
            "expected the Airflow generation, 2 or 3, found \"" + text + "\"",
            "Write version = 2 (REST API /api/v1, basic auth) or version = 3 (/api/v2, token).");
        yield AirflowSettings.Version.AIRFLOW_2;
      }
    };
  }

  private static AirflowSettings.Dags dags(Section dags) {
    Map<String, String> conf = new TreeMap<>();
    dags.entries(CONF).forEach((name, value) -> conf.put(name, String.valueOf(value.unwrapped())));
    return new AirflowSettings.Dags(
        dags.string(HOME),
        dags.optionalString(APPLICATION),
        dags.string(CONN_ID),
        dags.stringList(PACKAGES),
        conf,
        dags.optionalString(TEMPLATE));
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
        VERSION,
        USER,
        PASSWORD_ENV,
        PASSWORD_FILE,
        REQUEST_TIMEOUT,
        DAGS);
  }
}
