package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lakeport.airflow} of the site settings: the Airflow webserver the REST client talks to
 * (its URL, API generation, user, and where the password comes from: an environment variable or a
 * file, read when a request is made), and what generated DAGs submit ({@link Dags}). Holds no
 * secret.
 */
public record AirflowSettings(
    Optional<URI> url,
    Version version,
    Optional<String> user,
    Optional<String> passwordEnv,
    Optional<String> passwordFile,
    Duration requestTimeout,
    Dags dags) {

  public AirflowSettings {
    requireNonNull(url, "url is null");
    requireNonNull(version, "version is null");
    requireNonNull(user, "user is null");
    requireNonNull(passwordEnv, "passwordEnv is null");
    requireNonNull(passwordFile, "passwordFile is null");
    requireNonNull(requestTimeout, "requestTimeout is null");
    requireNonNull(dags, "dags is null");
  }

  /**
   * The Airflow generation, which decides the REST API: 2 ({@code /api/v1}) or 3 ({@code /api/v2}).
   */
  public enum Version {
    AIRFLOW_2,
    AIRFLOW_3
  }

  /**
   * What each generated DAG's {@code SparkSubmitOperator} submits: Lakeport's home on the Airflow
   * workers (job files are passed below it, and it is the driver's {@code LAKEPORT_HOME}), the
   * application jar (empty: the one the release archive ships below the home), the Airflow
   * connection (master, deploy mode and Spark home come from there), {@code --packages} and {@code
   * --conf} settings; and the template DAG files are written from (empty: the built-in one).
   */
  public record Dags(
      String home,
      Optional<String> application,
      String connId,
      List<String> packages,
      Map<String, String> sparkConf,
      Optional<String> template) {
    public Dags {
      requireNonNull(home, "home is null");
      requireNonNull(application, "application is null");
      requireNonNull(connId, "connId is null");
      packages = List.copyOf(packages);
      sparkConf = Map.copyOf(sparkConf);
      requireNonNull(template, "template is null");
    }
  }
}
