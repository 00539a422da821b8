package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Object storage settings ({@code lakeport.s3}): where s3a finds the store, which credentials
 * provider it asks and how new objects are encrypted, for all buckets and per bucket. Holds no
 * secret: credentials always come from a provider chain, never from a config file. {@link
 * #hadoopSettings()} translates the block to s3a's own settings.
 */
public record S3Settings(
    Optional<URI> endpoint,
    Optional<String> region,
    Addressing addressing,
    Credentials credentials,
    Encryption encryption,
    Map<String, Bucket> buckets) {

  static final String S3A = "fs.s3a.";
  static final String S3A_ENDPOINT = "endpoint";
  static final String S3A_SSL = "connection.ssl.enabled";
  static final String S3A_REGION = "endpoint.region";
  static final String S3A_PATH_STYLE = "path.style.access";
  static final String S3A_PROVIDER = "aws.credentials.provider";
  static final String S3A_ALGORITHM = "encryption.algorithm";
  static final String S3A_KEY = "encryption.key";
  static final String S3A_BUCKET = "bucket.";

  public S3Settings {
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(region, "region is null");
    requireNonNull(addressing, "addressing is null");
    requireNonNull(credentials, "credentials is null");
    requireNonNull(encryption, "encryption is null");
    buckets = Collections.unmodifiableMap(new LinkedHashMap<>(buckets));
  }

  /**
   * The s3a settings ({@code fs.s3a.*}, and {@code fs.s3a.bucket.<bucket>.*} per bucket) this block
   * stands for, in a stable order. Settings left at s3a's own default are not written, so {@code
   * credentials = default} leaves the provider list to s3a.
   */
  public Map<String, String> hadoopSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    endpoint.ifPresent(uri -> putEndpoint(settings, S3A, uri));
    region.ifPresent(name -> settings.put(S3A + S3A_REGION, name));
    settings.put(S3A + S3A_PATH_STYLE, addressing.s3aValue());
    credentials.provider().ifPresent(provider -> settings.put(S3A + S3A_PROVIDER, provider));
    if (encryption.algorithm() != Algorithm.NONE) {
      settings.put(S3A + S3A_ALGORITHM, encryption.algorithm().s3aName());
      encryption.kmsKeyId().ifPresent(key -> settings.put(S3A + S3A_KEY, key));
    }
    buckets.forEach(
        (name, bucket) -> bucket.putHadoopSettings(settings, S3A + S3A_BUCKET + name + "."));
    return Collections.unmodifiableMap(settings);
  }

  /** The endpoint, and TLS on or off to match its scheme (s3a would otherwise try TLS). */
  private static void putEndpoint(Map<String, String> settings, String prefix, URI endpoint) {
    settings.put(prefix + S3A_ENDPOINT, endpoint.toString());
    settings.put(prefix + S3A_SSL, String.valueOf(!"http".equals(endpoint.getScheme())));
  }

  /**
   * Settings for one bucket, each overriding the block's: an empty value inherits it. A bucket that
   * says anything about encryption gets its whole encryption (algorithm and key) written, so it
   * never inherits a key meant for another algorithm.
   */
  public record Bucket(
      Optional<URI> endpoint,
      Optional<String> region,
      Optional<Addressing> addressing,
      Optional<Credentials> credentials,
      Optional<Encryption> encryption) {

    public Bucket {
      requireNonNull(endpoint, "endpoint is null");
      requireNonNull(region, "region is null");
      requireNonNull(addressing, "addressing is null");
      requireNonNull(credentials, "credentials is null");
      requireNonNull(encryption, "encryption is null");
    }

    private void putHadoopSettings(Map<String, String> settings, String prefix) {
      endpoint.ifPresent(uri -> putEndpoint(settings, prefix, uri));
      region.ifPresent(name -> settings.put(prefix + S3A_REGION, name));
      addressing.ifPresent(style -> settings.put(prefix + S3A_PATH_STYLE, style.s3aValue()));
      // An empty provider list is s3a's own chain,
      // so credentials = default undoes the block's choice.
      credentials.ifPresent(
          chain -> settings.put(prefix + S3A_PROVIDER, chain.provider().orElse("")));
      encryption.ifPresent(
          sse -> {
            settings.put(prefix + S3A_ALGORITHM, sse.algorithm().s3aName());
            settings.put(prefix + S3A_KEY, sse.kmsKeyId().orElse(""));
          });
    }
  }

  /**
   * Server-side encryption of new objects; a KMS key id only goes with {@link Algorithm#SSE_KMS}.
   */
  public record Encryption(Algorithm algorithm, Optional<String> kmsKeyId) {
    public Encryption {
      requireNonNull(algorithm, "algorithm is null");
      requireNonNull(kmsKeyId, "kmsKeyId is null");
      if (kmsKeyId.isPresent() && algorithm != Algorithm.SSE_KMS) {
        throw new IllegalArgumentException("a KMS key id needs SSE-KMS, not " + algorithm.text());
      }
    }
  }

  /** How requests name the bucket: in the host name (AWS) or in the path (most other stores). */
  public enum Addressing {
    VIRTUAL_HOSTED,
    PATH_STYLE;

    String s3aValue() {
      return switch (this) {
        case VIRTUAL_HOSTED -> "false";
        case PATH_STYLE -> "true";
      };
    }
  }

  /**
   * Where s3a finds credentials: its own chain (default), the {@code AWS_ACCESS_KEY_ID} / {@code
   * AWS_SECRET_ACCESS_KEY} environment variables, an AWS profile ({@code AWS_PROFILE}, {@code
   * ~/.aws/credentials}), or the EC2/ECS instance role.
   */
  public enum Credentials {
    DEFAULT,
    ENVIRONMENT,
    PROFILE,
    INSTANCE;

    /** The provider class s3a instantiates; empty for s3a's own chain. */
    public Optional<String> provider() {
      return switch (this) {
        case DEFAULT -> Optional.empty();
        case ENVIRONMENT ->
            Optional.of(
                "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider");
        case PROFILE ->
            Optional.of("software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider");
        case INSTANCE ->
            Optional.of("org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider");
      };
    }
  }

  /** Server-side encryption algorithms, spelled as s3a and S3 spell them. */
  public enum Algorithm {
    NONE,
    SSE_S3,
    SSE_KMS;

    /** The spelling in {@code lakeport.s3.encryption.algorithm}. */
    public String text() {
      return switch (this) {
        case NONE -> "none";
        case SSE_S3 -> "SSE-S3";
        case SSE_KMS -> "SSE-KMS";
      };
    }

    /**
     * The value of {@code fs.s3a.encryption.algorithm}: s3a names SSE-S3 by its header value {@code
     * AES256} (it refuses "SSE-S3"); empty means no encryption.
     */
    String s3aName() {
      return switch (this) {
        case NONE -> "";
        case SSE_S3 -> "AES256";
        case SSE_KMS -> "SSE-KMS";
      };
    }
  }
}
