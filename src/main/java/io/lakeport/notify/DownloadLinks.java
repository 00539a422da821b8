package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned HTTPS GET links to objects of exports on S3 ({@code s3a://bucket/key}), signed with the
 * settings s3a itself uses: the site's {@code spark.hadoop.fs.s3a.*} settings (the {@code
 * lakeport.s3} block, under explicit {@code lakeport.spark.conf} entries), per bucket where a
 * bucket overrides them: endpoint, region, path-style access and the credentials provider (s3a's
 * own keys when it has them, else the same provider chain). Signing is local: no request is sent.
 */
public final class DownloadLinks implements AutoCloseable {
  /** SigV4 presigned URLs are valid for at most a week. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(7);

  private static final String S3A = "spark.hadoop.fs.s3a.";

  private final Map<String, String> sparkSettings;
  private final Clock clock;
  private final Map<String, S3Presigner> presigners = new LinkedHashMap<>();

  public DownloadLinks(Map<String, String> sparkSettings, Clock clock) {
    this.sparkSettings = Map.copyOf(sparkSettings);
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** One link: the object's location, the URL and when it stops working. */
  public record Link(String location, URI url, Instant expiresAt) {}

  /** Whether a location is on S3, so that it can be linked. */
  public static boolean shareable(String location) {
    return location.startsWith("s3a://") || location.startsWith("s3://");
  }

  /**
   * A presigned GET link to {@code location} valid for {@code expiry}.
   *
   * @throws IllegalArgumentException for a location not on S3 or an expiry beyond 7 days
   * @throws IllegalStateException when the signer cannot be set up (no region, no credentials)
   */
  public synchronized Link sign(String location, Duration expiry) {
    if (!shareable(location)) {
      throw new IllegalArgumentException(
          "Cannot link " + location + ": download links are for exports on S3 (s3a://)");
    }
    if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException(
          "Cannot link " + location + " for " + expiry + ": links last from 1s to 7 days");
    }
    URI uri = URI.create(location);
    String bucket = uri.getHost();
    String key = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
    Instant now = clock.instant();
    try {
      URI url =
          presigner(bucket)
              .presignGetObject(
                  request ->
                      request
                          .signatureDuration(expiry)
                          .getObjectRequest(get -> get.bucket(bucket).key(key)))
              .url()
              .toURI();
      return new Link(location, url, now.plus(expiry));
    } catch (SdkException | URISyntaxException e) {
      throw new IllegalStateException(
          "Cannot sign a link to "
              + location
              + ": "
              + e.getMessage()
              + ". Check lakeport.s3 (region, credentials) in the site settings",
          e);
    }
  }

  private S3Presigner presigner(String bucket) {
    return presigners.computeIfAbsent(
        bucket,
        b -> {
          S3Presigner.Builder builder =
              S3Presigner.builder()
                  .region(region(b))
                  .credentialsProvider(credentials(b))
                  .serviceConfiguration(
                      S3Configuration.builder()
                          .pathStyleAccessEnabled(
                              Boolean.parseBoolean(setting(b, "path.style.access").orElse("false")))
                          .build());
          setting(b, "endpoint")
              .filter(e -> !e.isBlank())
              .map(e -> endpoint(b, e))
              .ifPresent(builder::endpointOverride);
          return builder.build();
        });
  }

  /**
   * An s3a setting for a bucket: {@code fs.s3a.bucket.<bucket>.<name>}, else {@code fs.s3a.<name>}.
   */
  private Optional<String> setting(String bucket, String name) {
    return Optional.ofNullable(sparkSettings.get(S3A + "bucket." + bucket + "." + name))
        .or(() -> Optional.ofNullable(sparkSettings.get(S3A + name)));
  }

  private URI endpoint(String bucket, String endpoint) {
    if (endpoint.contains("://")) {
      return URI.create(endpoint);
    }
    boolean tls = Boolean.parseBoolean(setting(bucket, "connection.ssl.enabled").orElse("true"));
    return URI.create((tls ? "https://" : "http://") + endpoint);
  }

  private Region region(String bucket) {
    return setting(bucket, "endpoint.region")
        .filter(r -> !r.isBlank())
        .map(Region::of)
        .orElseGet(
            () -> {
              try {
                return DefaultAwsRegionProviderChain.builder().build().getRegion();
              } catch (SdkException e) {
                throw new IllegalStateException(
                    "Cannot sign links to bucket " + bucket + ": no region. Set lakeport.s3.region",
                    e);
              }
            });
  }

  /**
   * The provider s3a is configured with; its access keys when the site gives them; else the SDK's
   * chain.
   */
  private AwsCredentialsProvider credentials(String bucket) {
    String provider = setting(bucket, "aws.credentials.provider").orElse("");
    Optional<String> access = setting(bucket, "access.key");
    Optional<String> secret = setting(bucket, "secret.key");
    if (provider.contains("EnvironmentVariableCredentialsProvider")) {
      return EnvironmentVariableCredentialsProvider.create();
    }
    if (provider.contains("ProfileCredentialsProvider")) {
      return ProfileCredentialsProvider.create();
    }
    if (provider.contains("IAMInstanceCredentialsProvider")
        || provider.contains("InstanceProfileCredentialsProvider")) {
      return InstanceProfileCredentialsProvider.create();
    }
    if (access.isPresent() && secret.isPresent()) {
      Optional<String> token = setting(bucket, "session.token");
      return StaticCredentialsProvider.create(
          token.isPresent()
              ? AwsSessionCredentials.create(access.get(), secret.get(), token.get())
              : AwsBasicCredentials.create(access.get(), secret.get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public synchronized void close() {
    presigners.values().forEach(S3Presigner::close);
    presigners.clear();
  }
}
