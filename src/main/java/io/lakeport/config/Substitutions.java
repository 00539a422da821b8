package io.lakeport.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@code ${...}} substitutions of a job refer to, looked at before the job is resolved:
 * how large they make the job, and which of them nothing defines.
 *
 * <p>The HOCON library resolves every substitution eagerly, so a short file that doubles a list
 * thirty times ({@code a1 = ${a0} ${a0}}, ...) would take minutes and all memory. {@link
 * #refuseExpansion} estimates, from the unresolved tree, how many characters each value of the job
 * grows to (a substitution counts as the size of what it refers to, a value that refers to its own
 * earlier definition as that definition's size), and refuses the job when one exceeds {@link
 * #MAX_EXPANDED}: an upper bound that a real job stays far below.
 */
final class Substitutions {
  /** The most characters a job's values may grow to when their substitutions are resolved. */
  static final long MAX_EXPANDED = 1_000_000;

  /** Sizes are capped here, so that adding them up never overflows. */
  private static final long CAP = 4 * MAX_EXPANDED;

  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  /** A {@code ${path}} or {@code ${?path}} in a rendered value, and how many characters it has. */
  private record Reference(String path, boolean optional, int length) {}

  private final ConfigObject root;
  private final Map<String, Long> sizes = new HashMap<>();
  private final Set<String> computing = new HashSet<>();
  private Origin exceeded;

  private Substitutions(Config merged) {
    this.root = merged.root();
  }

  /**
   * Refuses the job when a value of {@code jobFile} (over {@code merged}, the job with the params
   * and site settings it is resolved with) would expand beyond {@link #MAX_EXPANDED} characters.
   */
  static void refuseExpansion(Config jobFile, Config merged) {
    Substitutions estimate = new Substitutions(merged);
    for (String key : jobFile.root().keySet()) {
      estimate.size(ConfigUtil.joinPath(key));
      if (estimate.exceeded != null) {
        throw new JobConfigException(
            List.of(
                new ConfigProblem(
                    estimate.exceeded,
                    "its substitutions expand to more than "
                        + MAX_EXPANDED
                        + " characters (a value that repeats another one grows exponentially)",
                    "Refer to each list or text fewer times; Lakeport refuses jobs this large"
                        + " before resolving them.")));
      }
    }
  }

  /**
   * The substitutions in {@code partial} (the job resolved as far as it can be) that nothing in
   * {@code merged} defines and no environment variable supplies, each where it is written.
   */
  static List<ConfigProblem> undefined(Config partial, Config merged, Set<String> jobKeys) {
    Map<String, ConfigProblem> found = new LinkedHashMap<>();
    Substitutions lookup = new Substitutions(merged);
    for (String key : jobKeys) {
      ConfigValue value = partial.root().get(key);
      if (value != null) {
        lookup.collectUndefined(value, found);
      }
    }
    return found.values().stream()
        .sorted(Comparator.comparingInt((ConfigProblem p) -> p.origin().line()))
        .toList();
  }

  private void collectUndefined(ConfigValue value, Map<String, ConfigProblem> found) {
    if (value instanceof ConfigList list) {
      list.forEach(item -> collectUndefined(item, found));
      return;
    }
    if (value instanceof ConfigObject object && isReadable(object)) {
      object.values().forEach(child -> collectUndefined(child, found));
      return;
    }
    if (isResolved(value)) {
      return;
    }
    String rendered = value.render(CONCISE);
    for (Reference reference : references(rendered)) {
      if (!reference.optional()
          && lookup(reference.path()) == null
          && System.getenv(reference.path()) == null) {
        String shown = "${" + reference.path() + "}";
        Origin origin = Section.originOf(value.origin(), shown);
        found.putIfAbsent(
            origin.describe(),
            new ConfigProblem(
                origin,
                "nothing defines this substitution",
                "Define it in params (and pass --param), or set it in conf/application.conf."));
      }
    }
  }

  /** The estimated size of the value at {@code path}, remembering the first that is too large. */
  private long size(String path) {
    Long known = sizes.get(path);
    if (known != null) {
      return known;
    }
    if (!computing.add(path)) {
      return 0; // a cycle: resolving reports it
    }
    ConfigValue value = lookup(path);
    long size = value == null ? 1 : sizeOf(value, path, Place.AT_PATH);
    computing.remove(path);
    sizes.put(path, size);
    if (size > MAX_EXPANDED && exceeded == null && value != null) {
      exceeded = Section.originOf(value.origin(), path);
    }
    return size;
  }

  /** Whether a value is the one at its path (its children are at paths too) or inside a list. */
  private enum Place {
    AT_PATH,
    IN_LIST
  }

  private long sizeOf(ConfigValue value, String path, Place place) {
    if (value instanceof ConfigObject object && isReadable(object)) {
      long size = 2;
      for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
        size = add(size, entry.getKey().length() + 2L);
        size =
            add(
                size,
                place == Place.AT_PATH
                    ? size(path + "." + ConfigUtil.joinPath(entry.getKey()))
                    : sizeOf(entry.getValue(), path, place));
      }
      return size;
    }
    if (value instanceof ConfigList list) {
      long size = 2;
      for (ConfigValue item : list) {
        size = add(size, add(1, sizeOf(item, path, Place.IN_LIST)));
      }
      return size;
    }
    String rendered = value.render(CONCISE);
    return isResolved(value) ? Math.max(1, rendered.length()) : unresolved(rendered, path);
  }

  /**
   * An unresolved value as the library renders it: the values merged at one key, oldest first and
   * separated by commas, each text and substitutions. A substitution of the key itself (or of a key
   * inside it) is the earlier value at the key.
   */
  private long unresolved(String rendered, String path) {
    long earlier = 0;
    for (String element : topLevel(rendered)) {
      long size = 0;
      int literal = element.length();
      for (Reference reference : references(element)) {
        literal -= reference.length();
        boolean own = reference.path().equals(path) || reference.path().startsWith(path + ".");
        size = add(size, own ? earlier : size(reference.path()));
      }
      size = add(size, Math.max(1, literal));
      earlier = element.startsWith("{") ? add(earlier, size) : size;
    }
    return earlier;
  }

  /** The value at {@code path}, or the unresolved value that holds it; null when nothing does. */
  private ConfigValue lookup(String path) {
    ConfigValue current = root;
    for (String key : splitPath(path)) {
      if (!(current instanceof ConfigObject object) || !isReadable(object)) {
        return current;
      }
      current = object.get(key);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  private static List<String> splitPath(String path) {
    try {
      return ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      return List.of(path);
    }
  }

  /** Whether an object's entries can be read before resolving (a merge with a substitution not). */
  private static boolean isReadable(ConfigObject object) {
    try {
      return object.keySet() != null; // a merge with a substitution throws instead
    } catch (ConfigException.NotResolved e) {
      return false;
    }
  }

  private static boolean isResolved(ConfigValue value) {
    try {
      value.valueType();
      return true;
    } catch (ConfigException.NotResolved e) {
      return false;
    }
  }

  /** The parts of a rendered value separated by commas outside brackets and quoted strings. */
  private static List<String> topLevel(String rendered) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < rendered.length(); i++) {
      char c = rendered.charAt(i);
      if (c == '"') {
        i = endOfString(rendered, i);
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(rendered.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(rendered.substring(start));
    return parts;
  }

  /** The substitutions of a rendered value, outside quoted strings. */
  private static List<Reference> references(String rendered) {
    List<Reference> references = new ArrayList<>();
    for (int i = 0; i < rendered.length(); i++) {
      char c = rendered.charAt(i);
      if (c == '"') {
        i = endOfString(rendered, i);
      } else if (rendered.startsWith("${", i)) {
        int end = rendered.indexOf('}', i);
        if (end < 0) {
          break;
        }
        boolean optional = rendered.startsWith("${?", i);
        String path = rendered.substring(i + (optional ? 3 : 2), end).trim();
        references.add(new Reference(path, optional, end + 1 - i));
        i = end;
      }
    }
    return references;
  }

  /** The index of the quote that closes the JSON string starting at {@code start}. */
  private static int endOfString(String text, int start) {
    int i = start + 1;
    while (i < text.length() && text.charAt(i) != '"') {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    return i;
  }

  private static long add(long a, long b) {
    return Math.min(CAP, a + b);
  }
}
