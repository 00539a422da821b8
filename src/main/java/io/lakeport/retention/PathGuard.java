package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether retention may touch a path under a job's export root, whatever a manifest says:
 * the path must be normalised and relative (no {@code ..}, {@code .}, empty or absolute parts),
 * must not lie under another job's export root nested in this one, and must not be a link or be
 * reached through one. Every delete goes through {@link #refusal}.
 */
final class PathGuard {
  private final ExportTree tree;
  private final Map<String, String> nestedRoots;

  /**
   * @param nestedRoots other jobs' roots inside this one: relative path to job name
   */
  PathGuard(ExportTree tree, Map<String, String> nestedRoots) {
    this.tree = requireNonNull(tree, "tree is null");
    this.nestedRoots = Map.copyOf(nestedRoots);
  }

  /** Why {@code relative} must not be touched; empty when it may. */
  Optional<String> refusal(String relative) throws IOException {
    if (relative.isEmpty()
        || relative.startsWith("/")
        || relative.contains("\\")
        || relative.contains(":")) {
      return Optional.of("not a relative path under the export root");
    }
    for (String part : relative.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return Optional.of("not a normalised path (\"" + part + "\" in it)");
      }
    }
    Optional<String> owner = nestedOwner(relative);
    if (owner.isPresent()) {
      return Optional.of("inside the export root of job " + owner.get());
    }
    if (tree.throughLink(relative)) {
      return Optional.of("a symbolic link, or reached through one");
    }
    return Optional.empty();
  }

  /** The job whose nested root holds {@code relative}, if any. */
  Optional<String> nestedOwner(String relative) {
    return nestedRoots.entrySet().stream()
        .filter(root -> relative.equals(root.getKey()) || relative.startsWith(root.getKey() + "/"))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  List<String> nestedRootPaths() {
    return List.copyOf(nestedRoots.keySet());
  }
}
