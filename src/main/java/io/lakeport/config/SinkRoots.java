package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folders exports may be written to: {@code lakeport.exports} and the site's {@code
 * lakeport.sink-roots}. A sink path or a retention archive location outside all of them is refused
 * when the job loads, so that no parameter, typo or copied job can point an overwrite at a folder
 * the site did not give Lakeport. Paths are compared after normalising: {@code .} and {@code ..}
 * applied, local paths made absolute, trailing slashes dropped; scheme and authority (the bucket)
 * must match.
 */
final class SinkRoots {
  static final String KEY = "lakeport." + Site.SINK_ROOTS;
  private static final String ARCHIVE_LOCATION =
      ConfigUtil.joinPath(JobLoader.RETENTION, RetentionReader.ARCHIVE, RetentionReader.LOCATION);

  private final List<Location> roots;

  SinkRoots(Site site) {
    this.roots =
        Stream.concat(Stream.of(site.exports()), site.sinkRoots().stream())
            .map(Location::parse)
            .flatMap(Optional::stream)
            .toList();
  }

  /** Whether {@code path} lies at or under one of the roots. */
  boolean holds(String path) {
    Optional<Location> location = Location.parse(path);
    return location.isPresent() && roots.stream().anyMatch(root -> root.holds(location.get()));
  }

  /** Refuses the sink path when it is outside every root. */
  void refuseOutside(SinkSpec sink, Problems problems) {
    refuse("sink path", sink.path(), sink.origin().child(Endpoints.PATH), problems);
  }

  /** Refuses the retention archive location when it is outside every root. */
  void refuseOutside(RetentionSpec retention, Config root, String display, Problems problems) {
    retention
        .archive()
        .ifPresent(
            archive ->
                refuse(
                    "archive location",
                    archive.location(),
                    root.hasPath(ARCHIVE_LOCATION)
                        ? Section.originOf(
                            root.getValue(ARCHIVE_LOCATION).origin(), ARCHIVE_LOCATION)
                        : new Origin(display, -1, ARCHIVE_LOCATION),
                    problems));
  }

  private void refuse(String what, String path, Origin origin, Problems problems) {
    // a parameter already refused in this path is the one problem to fix
    if (path.isEmpty() || problems.at(origin.path()) || holds(path)) {
      return;
    }
    problems.add(
        origin,
        what
            + " \""
            + path
            + "\" is outside the folders exports may be written to (lakeport.exports and "
            + KEY
            + ")",
        "Write it under ${lakeport.exports}, or add a folder that holds it to "
            + KEY
            + " in the site settings (conf/application.conf), e.g. "
            + KEY
            + " = [\"s3a://bucket/exports\"].");
  }

  /**
   * A path as scheme, authority and folder names, with {@code .} and {@code ..} applied; local
   * paths (no scheme, or {@code file:}) are made absolute against the working directory.
   */
  record Location(String scheme, String authority, List<String> names) {
    private static final Pattern URI =
        Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):(//([^/]*))?(.*)");
    private static final String LOCAL = "file";

    Location {
      requireNonNull(scheme, "scheme is null");
      requireNonNull(authority, "authority is null");
      names = List.copyOf(names);
    }

    /** The location of {@code path}; empty when it is no path (or climbs above its bucket). */
    static Optional<Location> parse(String path) {
      Matcher uri = URI.matcher(path);
      boolean hasScheme = uri.matches();
      if (hasScheme && !uri.group(1).equalsIgnoreCase(LOCAL)) {
        String authority = Optional.ofNullable(uri.group(3)).orElse("");
        return names(uri.group(4))
            .map(
                names ->
                    new Location(
                        uri.group(1).toLowerCase(Locale.ROOT),
                        authority.toLowerCase(Locale.ROOT),
                        names));
      }
      try {
        Path local = Path.of(hasScheme ? uri.group(4) : path).toAbsolutePath().normalize();
        List<String> names = new ArrayList<>();
        local.forEach(name -> names.add(name.toString()));
        return Optional.of(new Location(LOCAL, "", names));
      } catch (InvalidPathException e) {
        return Optional.empty();
      }
    }

    /** Whether {@code other} is this location or lies under it. */
    boolean holds(Location other) {
      return scheme.equals(other.scheme)
          && authority.equals(other.authority)
          && other.names.size() >= names.size()
          && other.names.subList(0, names.size()).equals(names);
    }

    private static Optional<List<String>> names(String path) {
      List<String> names = new ArrayList<>();
      for (String name : path.split("/", -1)) {
        if (name.equals("..")) {
          if (names.isEmpty()) {
            return Optional.empty();
          }
          names.remove(names.size() - 1);
        } else if (!name.isEmpty() && !name.equals(".")) {
          names.add(name);
        }
      }
      return Optional.of(names);
    }
  }
}
