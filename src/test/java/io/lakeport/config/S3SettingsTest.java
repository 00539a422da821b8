package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.lakeport.Fixtures;
import io.lakeport.config.S3Settings.Addressing;
import io.lakeport.config.S3Settings.Algorithm;
import io.lakeport.config.S3Settings.Bucket;
import io.lakeport.config.S3Settings.Credentials;
import io.lakeport.config.S3Settings.Encryption;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.s3a.S3AEncryptionMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The {@code lakeport.s3} block: read from site settings into {@link S3Settings}, and translated to
 * the s3a settings that reach Hadoop. The names written are checked against the s3a and AWS SDK
 * classes on the class path, so a rename there fails here rather than at a user's first write.
 */
class S3SettingsTest {
  private static final Path VALID = Path.of("src/test/resources/site/valid/s3.conf");
  private static final String KMS_KEY = "arn:aws:kms:eu-central-1:111122223333:key/example";

  @TempDir Path dir;

  @Test
  void theDefaultsLeaveEverythingToS3a() {
    S3Settings s3 = Fixtures.site().s3();

    assertThat(s3)
        .isEqualTo(
            new S3Settings(
                Optional.empty(),
                Optional.empty(),
                Addressing.VIRTUAL_HOSTED,
                Credentials.DEFAULT,
                new Encryption(Algorithm.NONE, Optional.empty()),
                Map.of()));
    assertThat(s3.hadoopSettings()).containsExactly(entry("fs.s3a.path.style.access", "false"));
  }

  @Test
  void readsTheBlockWithItsBuckets() {
    S3Settings s3 = Site.load(Optional.of(VALID)).s3();

    assertThat(s3.endpoint()).contains(URI.create("http://minio.internal:9000"));
    assertThat(s3.region()).contains("us-east-1");
    assertThat(s3.addressing()).isEqualTo(Addressing.PATH_STYLE);
    assertThat(s3.credentials()).isEqualTo(Credentials.ENVIRONMENT);
    assertThat(s3.encryption()).isEqualTo(new Encryption(Algorithm.SSE_S3, Optional.empty()));
    assertThat(s3.buckets())
        .containsExactly(
            entry(
                "exports-eu",
                new Bucket(
                    Optional.of(URI.create("https://ceph.internal")),
                    Optional.of("eu-central-1"),
                    Optional.of(Addressing.VIRTUAL_HOSTED),
                    Optional.of(Credentials.PROFILE),
                    Optional.of(new Encryption(Algorithm.SSE_KMS, Optional.of(KMS_KEY))))),
            entry(
                "scratch",
                new Bucket(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(Credentials.DEFAULT),
                    Optional.of(new Encryption(Algorithm.NONE, Optional.empty())))));
  }

  @Test
  void translatesToS3aSettingsPerBucketAsWell() {
    Map<String, String> settings = Site.load(Optional.of(VALID)).s3().hadoopSettings();

    assertThat(settings)
        .containsExactly(
            entry("fs.s3a.endpoint", "http://minio.internal:9000"),
            entry("fs.s3a.connection.ssl.enabled", "false"),
            entry("fs.s3a.endpoint.region", "us-east-1"),
            entry("fs.s3a.path.style.access", "true"),
            entry(
                "fs.s3a.aws.credentials.provider",
                "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider"),
            entry("fs.s3a.encryption.algorithm", "AES256"),
            entry("fs.s3a.bucket.exports-eu.endpoint", "https://ceph.internal"),
            entry("fs.s3a.bucket.exports-eu.connection.ssl.enabled", "true"),
            entry("fs.s3a.bucket.exports-eu.endpoint.region", "eu-central-1"),
            entry("fs.s3a.bucket.exports-eu.path.style.access", "false"),
            entry(
                "fs.s3a.bucket.exports-eu.aws.credentials.provider",
                "software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider"),
            entry("fs.s3a.bucket.exports-eu.encryption.algorithm", "SSE-KMS"),
            entry("fs.s3a.bucket.exports-eu.encryption.key", KMS_KEY),
            // empty values undo the block's choices: s3a's own chain, no encryption, no key
            entry("fs.s3a.bucket.scratch.aws.credentials.provider", ""),
            entry("fs.s3a.bucket.scratch.encryption.algorithm", ""),
            entry("fs.s3a.bucket.scratch.encryption.key", ""));
  }

  @Test
  void aBucketsEncryptionIsWrittenWholeWithTheAlgorithmInheritedWhenItNamesNone() {
    Path conf =
        Fixtures.write(
            dir,
            "application.conf",
            """
        lakeport.s3 {
          encryption { algorithm = SSE-KMS, kms-key-id = "alias/exports" }
          buckets {
            other-key { encryption.kms-key-id = "alias/other" }
            aws-managed-key { encryption {} }
            sse-s3 { encryption.algorithm = SSE-S3 }
          }
        }
        """);

    assertThat(Site.load(Optional.of(conf)).s3().hadoopSettings())
        .containsExactly(
            entry("fs.s3a.path.style.access", "false"),
            entry("fs.s3a.encryption.algorithm", "SSE-KMS"),
            entry("fs.s3a.encryption.key", "alias/exports"),
            entry("fs.s3a.bucket.other-key.encryption.algorithm", "SSE-KMS"),
            entry("fs.s3a.bucket.other-key.encryption.key", "alias/other"),
            entry("fs.s3a.bucket.aws-managed-key.encryption.algorithm", "SSE-KMS"),
            entry("fs.s3a.bucket.aws-managed-key.encryption.key", ""),
            // s3a refuses SSE-S3 with a key, so the inherited one must not reach this bucket
            entry("fs.s3a.bucket.sse-s3.encryption.algorithm", "AES256"),
            entry("fs.s3a.bucket.sse-s3.encryption.key", ""));
  }

  @Test
  void sparkGetsTheBlockAsHadoopSettingsAndExplicitSparkConfEntriesWin() {
    Path conf =
        Fixtures.write(
            dir,
            "application.conf",
            """
        lakeport {
          s3 { endpoint = "https://minio.internal:9000", region = eu-west-1 }
          spark.conf { "spark.hadoop.fs.s3a.endpoint" = "http://127.0.0.1:9000" }
        }
        """);

    Map<String, String> spark = Site.load(Optional.of(conf)).sparkSettings();

    assertThat(spark)
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
        .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "true")
        .containsEntry("spark.hadoop.fs.s3a.endpoint.region", "eu-west-1")
        .containsEntry("spark.ui.enabled", "false")
        .doesNotContainKey("fs.s3a.endpoint.region");
  }

  @Test
  void everyCredentialsChoiceNamesAnAwsCredentialsProviderOnTheClassPath()
      throws ClassNotFoundException {
    for (Credentials credentials : Credentials.values()) {
      if (credentials.provider().isPresent()) {
        Class<?> provider =
            Class.forName(credentials.provider().get(), false, getClass().getClassLoader());
        assertThat(AwsCredentialsProvider.class).as(credentials.name()).isAssignableFrom(provider);
      } else {
        assertThat(credentials).isEqualTo(Credentials.DEFAULT);
      }
    }
  }

  @Test
  void s3aAcceptsTheAlgorithmNamesWritten() throws Exception {
    Map<Algorithm, S3AEncryptionMethods> expected =
        Map.of(
            Algorithm.NONE,
            S3AEncryptionMethods.NONE,
            Algorithm.SSE_S3,
            S3AEncryptionMethods.SSE_S3,
            Algorithm.SSE_KMS,
            S3AEncryptionMethods.SSE_KMS);
    for (Algorithm algorithm : Algorithm.values()) {
      Bucket bucket =
          new Bucket(
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.of(new Encryption(algorithm, Optional.empty())));
      S3Settings s3 =
          new S3Settings(
              Optional.empty(),
              Optional.empty(),
              Addressing.VIRTUAL_HOSTED,
              Credentials.DEFAULT,
              new Encryption(Algorithm.NONE, Optional.empty()),
              Map.of("b", bucket));
      String written = s3.hadoopSettings().get("fs.s3a.bucket.b.encryption.algorithm");
      assertThat(S3AEncryptionMethods.getMethod(written))
          .as(algorithm.text())
          .isEqualTo(expected.get(algorithm));
    }
  }

  @Test
  void aKmsKeyWithoutSseKmsCannotBeBuilt() {
    assertThatThrownBy(() -> new Encryption(Algorithm.SSE_S3, Optional.of("alias/exports")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a KMS key id needs SSE-KMS, not SSE-S3");
  }
}
