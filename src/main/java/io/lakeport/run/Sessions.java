package io.lakeport.run;

import io.lakeport.config.AcceleratorSettings.Accelerator;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Spark session Lakeport runs in. Under spark-submit the master and every setting the
 * cluster fixed are left alone; embedded runs get the site's master and local settings. Either way
 * the session gets the site's Spark settings, {@code lakeport.s3} included (as {@code
 * spark.hadoop.fs.s3a.*}), and when {@code lakeport.spark.accelerator} chooses Comet ({@code
 * comet}, or {@code auto} in an embedded local run) the settings that load it ({@link
 * Acceleration}), or a one-line notice why it cannot run here.
 */
public final class Sessions {
  private static final String MASTER = "spark.master";
  private static final String HADOOP_PREFIX = "spark.hadoop.";
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

  private Sessions() {}

  public static SparkSession create(Site site, Optional<String> master) {
    String submittedMaster = System.getProperty(MASTER);
    String effective = submittedMaster != null ? submittedMaster : master.orElse(site.master());
    SparkSession.Builder builder = SparkSession.builder();
    if (System.getProperty("spark.app.name") == null) {
      // spark-submit --name (the scheduler's lakeport:<job>:<run>) is kept
      builder.appName("lakeport");
    }
    if (submittedMaster == null) {
      builder.master(effective);
    }
    boolean local = effective.startsWith("local");
    Map<String, String> settings = new LinkedHashMap<>();
    site.sparkSettings()
        .forEach(
            (key, value) -> {
              if (System.getProperty(key) == null && (local || !isLocalOnly(key))) {
                settings.put(key, value);
              }
            });
    Accelerator configured = site.accelerator().accelerator();
    Acceleration.Choice choice =
        Acceleration.choose(
            configured,
            local && submittedMaster == null,
            configured == Accelerator.NONE ? Optional.empty() : Acceleration.unavailable());
    // asked for by name, a fallback is a warning; auto's is a notice
    choice
        .notice()
        .ifPresent(
            notice -> (configured == Accelerator.COMET ? LOG.atWarn() : LOG.atInfo()).log(notice));
    if (choice.accelerator() == Accelerator.COMET) {
      Acceleration.contextSettings(
              site.accelerator(), local, key -> System.getProperty(key, settings.get(key)))
          .forEach(
              (key, value) -> {
                if (System.getProperty(key) == null || key.equals(Acceleration.PLUGINS)) {
                  settings.put(key, value);
                }
              });
    }
    settings.forEach(builder::config);
    return builder.getOrCreate();
  }

  /**
   * A session for one job: shares the Spark context, has its own SQL settings, with the session
   * time zone set to the job's so local-time functions (dates, day buckets) follow it.
   */
  public static SparkSession forJob(SparkSession spark, JobSpec job) {
    SparkSession session = spark.newSession();
    session.conf().set("spark.sql.session.timeZone", job.timeZone().getId());
    Acceleration.inherit(spark, session);
    return session;
  }

  /**
   * The Hadoop settings of the site ({@code spark.hadoop.*} entries without their prefix), for file
   * system access without a Spark session, e.g. {@code verify}.
   */
  public static Configuration hadoopConfiguration(Site site) {
    Configuration conf = new Configuration();
    site.sparkSettings()
        .forEach(
            (key, value) -> {
              if (key.startsWith(HADOOP_PREFIX)) {
                conf.set(key.substring(HADOOP_PREFIX.length()), value);
              }
            });
    return conf;
  }

  /** Settings that only make sense when the driver and executors share this machine. */
  private static boolean isLocalOnly(String key) {
    return key.equals("spark.driver.host")
        || key.equals("spark.driver.bindAddress")
        || key.startsWith("spark.hadoop.fs.file.");
  }
}
