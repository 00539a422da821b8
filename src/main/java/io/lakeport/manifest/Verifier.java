package io.lakeport.manifest;

import static java.util.Objects.requireNonNull;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Re-checks an export against its manifest, as a consumer would after receiving it: every file of
 * the manifest is there with its size and SHA-256, and no other data file is in the folders the run
 * owned (the partition folders it wrote, or the whole export for overwrites; appends own no folder,
 * so extra files are not looked for). The export root is the folder holding the manifest's {@code
 * _lakeport/}, so a copied export verifies where it lies. Files are hashed on a few threads; no
 * Spark needed.
 */
public final class Verifier {
  private static final int THREADS = 4;
  private static final int BUFFER = 1 << 16;

  private final Configuration hadoop;

  public Verifier(Configuration hadoop) {
    this.hadoop = requireNonNull(hadoop, "hadoop is null");
  }

  /** One difference between the export and its manifest. */
  public record Difference(Kind kind, String path, String detail) {
    /** Missing from the export, there but not in the manifest, or there with other content. */
    public enum Kind {
      MISSING,
      EXTRA,
      CHANGED
    }
  }

  /**
   * The manifest checked, where, and what differs (empty when the export is intact). Without a
   * manifest (nothing was ever published there, or a run died before its first manifest), every
   * data file in the folder is a difference.
   */
  public record Report(
      Optional<String> manifestPath,
      String root,
      Optional<Manifest> manifest,
      long filesChecked,
      long bytesChecked,
      boolean extraFilesChecked,
      List<Difference> differences) {
    public Report {
      differences = List.copyOf(differences);
    }

    public boolean intact() {
      return differences.isEmpty();
    }
  }

  /** Verifies the manifest at {@code location}, or the newest one when it names an export root. */
  public Report verify(String location) throws IOException {
    Path given = new Path(location);
    FileSystem fs = given.getFileSystem(hadoop);
    Path manifestPath;
    if (fs.getFileStatus(given).isDirectory()) {
      Path root = fs.makeQualified(given);
      Optional<Path> newest = Manifests.newestFirst(fs, root).stream().findFirst();
      if (newest.isEmpty()) {
        return withoutManifest(fs, root);
      }
      manifestPath = newest.get();
    } else {
      manifestPath = fs.makeQualified(given);
    }
    Manifest manifest;
    try (InputStream in = fs.open(manifestPath)) {
      manifest = Manifest.fromJson(in);
    }
    Path root = manifestPath.getParent().getParent();
    List<Difference> differences = new ArrayList<>(checkFiles(fs, root, manifest));
    boolean ownsFolders = !manifest.sink().mode().equals("append");
    if (ownsFolders) {
      differences.addAll(extraFiles(fs, root, manifest));
    }
    differences.sort(Comparator.comparing(Difference::path));
    long bytes = manifest.files().stream().mapToLong(OutputFile::bytes).sum();
    return new Report(
        Optional.of(manifestPath.toString()),
        root.toString(),
        Optional.of(manifest),
        manifest.files().size(),
        bytes,
        ownsFolders,
        differences);
  }

  /** A folder with no manifest: each data file in it is one that no manifest describes. */
  private static Report withoutManifest(FileSystem fs, Path root) throws IOException {
    List<Difference> extra =
        Listing.dataFiles(fs, root).stream()
            .map(
                file ->
                    new Difference(
                        Difference.Kind.EXTRA, file, "in the export, and no manifest describes it"))
            .sorted(Comparator.comparing(Difference::path))
            .toList();
    return new Report(Optional.empty(), root.toString(), Optional.empty(), 0, 0, true, extra);
  }

  private List<Difference> checkFiles(FileSystem fs, Path root, Manifest manifest)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Difference>> checks = new ArrayList<>();
      for (OutputFile file : manifest.files()) {
        checks.add(pool.submit(() -> check(fs, new Path(root, file.path()), file)));
      }
      List<Difference> differences = new ArrayList<>();
      for (Future<Difference> check : checks) {
        Difference d = check.get();
        if (d != null) {
          differences.add(d);
        }
      }
      return differences;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while verifying " + root, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Difference check(FileSystem fs, Path path, OutputFile expected)
      throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return new Difference(
          Difference.Kind.MISSING, expected.path(), "in the manifest, not in the export");
    }
    if (status.getLen() != expected.bytes()) {
      return new Difference(
          Difference.Kind.CHANGED,
          expected.path(),
          "size " + status.getLen() + " bytes, manifest says " + expected.bytes());
    }
    String sha256 = sha256(fs, path);
    return sha256.equals(expected.sha256())
        ? null
        : new Difference(
            Difference.Kind.CHANGED,
            expected.path(),
            "SHA-256 " + sha256 + ", manifest says " + expected.sha256());
  }

  /** Data files in the folders the run owned that the manifest does not list. */
  private static List<Difference> extraFiles(FileSystem fs, Path root, Manifest manifest)
      throws IOException {
    Set<String> listed = new TreeSet<>();
    manifest.files().forEach(f -> listed.add(f.path()));
    boolean wholeRoot =
        manifest.sink().mode().equals("overwrite") || manifest.sink().partitionBy().isEmpty();
    Set<String> folders = new TreeSet<>();
    if (wholeRoot) {
      folders.add("");
    } else {
      manifest
          .files()
          .forEach(f -> folders.add(f.path().substring(0, Math.max(0, f.path().lastIndexOf('/')))));
    }
    List<Difference> extra = new ArrayList<>();
    for (String folder : folders) {
      Path base = folder.isEmpty() ? root : new Path(root, folder);
      for (String file : Listing.dataFiles(fs, base)) {
        String relative = folder.isEmpty() ? file : folder + "/" + file;
        if (!listed.contains(relative)) {
          extra.add(
              new Difference(
                  Difference.Kind.EXTRA, relative, "in the export, not in the manifest"));
        }
      }
    }
    return extra;
  }

  static String sha256(FileSystem fs, Path path) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException("SHA-256 is missing from this JVM", e));
    }
    try (InputStream in = new DigestInputStream(fs.open(path, BUFFER), digest)) {
      byte[] buffer = new byte[BUFFER];
      while (in.read(buffer) >= 0) {
        // the digest sees every byte
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
