package io.lakeport.config;

import com.typesafe.config.Config;
import io.lakeport.config.S3Settings.Addressing;
import io.lakeport.config.S3Settings.Algorithm;
import io.lakeport.config.S3Settings.Bucket;
import io.lakeport.config.S3Settings.Credentials;
import io.lakeport.config.S3Settings.Encryption;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code lakeport.s3} from the site settings: endpoint, region, addressing, credentials
 * chain, encryption, and the same per bucket. Keys that would hold credentials are refused
 * outright.
 */
final class S3Reader {
  static final String ENDPOINT = "endpoint";
  static final String REGION = "region";
  static final String PATH_STYLE_ACCESS = "path-style-access";
  static final String CREDENTIALS = "credentials";
  static final String ENCRYPTION = "encryption";
  static final String ALGORITHM = "algorithm";
  static final String KMS_KEY_ID = "kms-key-id";
  static final String BUCKETS = "buckets";
  static final String[] BUCKET_KEYS = {
    ENDPOINT, REGION, PATH_STYLE_ACCESS, CREDENTIALS, ENCRYPTION
  };
  static final String[] KEYS = {
    ENDPOINT, REGION, PATH_STYLE_ACCESS, CREDENTIALS, ENCRYPTION, BUCKETS
  };

  /**
   * Keys that would hold credentials, compared without case, dashes, dots or underscores:
   * access-key, aws-access-key-id, secret-key, session-token, password, and {@code access}, which
   * HOCON makes of s3a's own spelling {@code access.key}.
   */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(aws)?access(key)?(id)?|.*secret.*|.*token|.*password.*");

  /** S3's rules for bucket names (general purpose buckets). */
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private S3Reader() {}

  /** Reads {@code key} (the {@code s3} block) of the {@code lakeport} section. */
  static S3Settings read(Section site, String key) {
    Section s3 = refusingSecrets(site, key, KEYS);
    Section sse = refusingSecrets(s3, ENCRYPTION, ALGORITHM, KMS_KEY_ID);
    if (!sse.has(ALGORITHM)) {
      sse.problem(
          ALGORITHM,
          "missing required setting",
          "Add algorithm = <" + String.join("|", texts()) + ">.");
    }
    Optional<Algorithm> algorithm = algorithm(sse);
    Encryption encryption = encryption(sse, algorithm);
    if (!s3.has(PATH_STYLE_ACCESS)) {
      s3.problem(
          PATH_STYLE_ACCESS, "missing required setting", "Add path-style-access = <true|false>.");
    }
    Addressing addressing = addressing(s3).orElse(Addressing.VIRTUAL_HOSTED);
    Credentials credentials = s3.enumValue(CREDENTIALS, Credentials.class, Credentials.DEFAULT);
    return new S3Settings(
        endpoint(s3),
        s3.optionalString(REGION),
        addressing,
        credentials,
        encryption,
        buckets(s3, algorithm));
  }

  private static Map<String, Bucket> buckets(Section s3, Optional<Algorithm> inherited) {
    Section buckets = s3.section(BUCKETS);
    Map<String, Bucket> result = new LinkedHashMap<>();
    for (String name : buckets.entries("").keySet()) {
      if (!BUCKET_NAME.matcher(name).matches()) {
        buckets.problem(
            name,
            "not a valid bucket name",
            "Bucket names have 3 to 63 characters: lowercase letters, digits, dots and hyphens.");
      }
      result.put(name, bucket(refusingSecrets(buckets, name, BUCKET_KEYS), inherited));
    }
    return result;
  }

  private static Bucket bucket(Section bucket, Optional<Algorithm> inherited) {
    Optional<Encryption> encryption = Optional.empty();
    if (bucket.has(ENCRYPTION)) {
      Section sse = refusingSecrets(bucket, ENCRYPTION, ALGORITHM, KMS_KEY_ID);
      encryption = Optional.of(encryption(sse, sse.has(ALGORITHM) ? algorithm(sse) : inherited));
    }
    return new Bucket(
        endpoint(bucket),
        bucket.optionalString(REGION),
        addressing(bucket),
        bucket.optionalEnum(CREDENTIALS, Credentials.class),
        encryption);
  }

  /** The encryption of a block; the key is checked only against an algorithm that could be read. */
  private static Encryption encryption(Section sse, Optional<Algorithm> algorithm) {
    Optional<String> key = sse.optionalString(KMS_KEY_ID);
    if (key.isPresent() && algorithm.isPresent() && algorithm.get() != Algorithm.SSE_KMS) {
      sse.problem(
          KMS_KEY_ID,
          "a KMS key applies only to algorithm = SSE-KMS, not " + algorithm.get().text(),
          "Set algorithm = SSE-KMS, or remove kms-key-id.");
    }
    Algorithm known = algorithm.orElse(Algorithm.NONE);
    return new Encryption(known, known == Algorithm.SSE_KMS ? key : Optional.empty());
  }

  /**
   * The section at {@code key} with the given valid keys, after reporting keys that look like
   * credentials with their own message (and leaving them out of the unknown-key check).
   */
  private static Section refusingSecrets(Section parent, String key, String... validKeys) {
    Section probe = parent.section(key);
    Config kept = probe.root();
    for (String name : probe.entries("").keySet()) {
      if (SECRET_KEY.matcher(name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "")).matches()) {
        probe.problem(
            name,
            "credentials must not be written in a config file",
            "Choose a credentials chain instead: credentials = default (s3a's own), environment, profile or instance.");
        kept = kept.withoutPath(probe.full(name));
      }
    }
    return new Section(kept, probe.path(), probe.problems(), validKeys);
  }

  private static Optional<URI> endpoint(Section section) {
    return section
        .optionalString(ENDPOINT)
        .flatMap(
            text -> {
              try {
                URI uri = new URI(text);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                  return Optional.of(uri);
                }
              } catch (URISyntaxException e) {
                // reported below
              }
              section.problem(
                  ENDPOINT,
                  "expected an http:// or https:// URL, found \"" + text + "\"",
                  "Write e.g. endpoint = \"https://minio.internal:9000\" (http:// turns TLS off).");
              return Optional.empty();
            });
  }

  private static Optional<Addressing> addressing(Section section) {
    return section
        .optionalBoolean(PATH_STYLE_ACCESS)
        .map(path -> path ? Addressing.PATH_STYLE : Addressing.VIRTUAL_HOSTED);
  }

  private static Optional<Algorithm> algorithm(Section sse) {
    return sse.optionalString(ALGORITHM)
        .flatMap(
            text -> {
              for (Algorithm algorithm : Algorithm.values()) {
                if (algorithm.text().equals(text)) {
                  return Optional.of(algorithm);
                }
              }
              if (text.equalsIgnoreCase("SSE-C")) {
                sse.problem(
                    ALGORITHM,
                    "SSE-C is not supported: its key would have to be written in a config file",
                    "Use SSE-KMS with a kms-key-id, or SSE-S3.");
              } else {
                sse.problem(
                    ALGORITHM,
                    "unknown value \"" + text + "\"",
                    Problems.suggestion(text, texts())
                        + "Expected one of: "
                        + String.join(", ", texts())
                        + ".");
              }
              return Optional.empty();
            });
  }

  private static List<String> texts() {
    return Arrays.stream(Algorithm.values()).map(Algorithm::text).toList();
  }
}
