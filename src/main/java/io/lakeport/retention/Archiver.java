package io.lakeport.retention;

import io.lakeport.config.RetentionSpec.Archive.Format;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.utils.IOUtils;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Packs an export with its manifest into one {@code tar.gz} or {@code zip}, checks the archive
 * against the manifest, and unpacks it again. Entries keep the export's layout: the data files and
 * rejects at their paths under the root, the manifest at {@code _lakeport/manifest-<run>.json}. An
 * archive is written to a hidden name and renamed into place, so a crash leaves no archive that
 * looks whole.
 */
public final class Archiver {
  private Archiver() {}

  /** {@code <location>/<job>/<run id>.<extension>}. */
  public static Path path(String location, String job, String runId, Format format) {
    return new Path(new Path(location, job), runId + "." + format.extension());
  }

  /**
   * Writes the archive of an export and returns the SHA-256 of every entry as written. The files
   * are read from {@code root}; the manifest's own bytes are stored as they are.
   */
  static Map<String, String> write(
      FileSystem sourceFs,
      Path root,
      Path manifestPath,
      List<String> files,
      FileSystem archiveFs,
      Path archive,
      Format format)
      throws IOException {
    Map<String, String> written = new LinkedHashMap<>();
    Path temporary = new Path(archive.getParent(), "." + archive.getName() + ".tmp");
    try (OutputStream raw = new BufferedOutputStream(archiveFs.create(temporary, true));
        ArchiveOutputStream<? extends ArchiveEntry> out = open(raw, format)) {
      String manifestEntry = Manifests.DIR + "/" + manifestPath.getName();
      add(out, format, manifestEntry, sourceFs, manifestPath, written);
      for (String file : files) {
        add(out, format, file, sourceFs, new Path(root, file), written);
      }
      out.finish();
    } catch (IOException e) {
      // a file that cannot be read leaves no partial archive behind
      archiveFs.delete(temporary, false);
      throw e;
    }
    if (archiveFs.exists(archive)) {
      archiveFs.delete(archive, false);
    }
    if (!archiveFs.rename(temporary, archive)) {
      throw new IOException("could not rename " + temporary + " to " + archive);
    }
    return written;
  }

  /**
   * Reads the archive back and checks it holds exactly {@code expected} (entry to SHA-256), and
   * that every data file of the manifest in it has the manifest's SHA-256. Returns a problem, or
   * null when the archive is whole; an archive that cannot be read to its end is a problem too.
   */
  static String verify(
      FileSystem fs, Path archive, Format format, Map<String, String> expected, Manifest manifest)
      throws IOException {
    Map<String, String> found;
    try {
      found = read(fs, archive, format, null);
    } catch (IOException e) {
      // a corrupted archive fails here (a bad gzip or zip stream, a file system checksum)
      return "the archive " + archive + " cannot be read back: " + e.getMessage();
    }
    if (!found.equals(expected)) {
      return "the archive "
          + archive
          + " holds "
          + found.size()
          + " entries, not the "
          + expected.size()
          + " written, or their contents differ";
    }
    for (OutputFile file : manifest.files()) {
      String sha = found.get(file.path());
      if (sha != null && !sha.equals(file.sha256())) {
        return "the archived "
            + file.path()
            + " has SHA-256 "
            + sha
            + ", its manifest says "
            + file.sha256();
      }
    }
    return null;
  }

  /**
   * What {@link #restore} unpacked, and the files whose SHA-256 differs from the manifest in the
   * archive.
   */
  public record Restored(Map<String, String> files, List<String> problems) {
    public Restored {
      files = Map.copyOf(files);
      problems = List.copyOf(problems);
    }
  }

  /**
   * Unpacks an archive under {@code target} (paths as in the export; entries that would land
   * outside it are refused) and checks every data file against the manifest in the archive.
   */
  public static Restored restore(FileSystem fs, Path archive, FileSystem targetFs, Path target)
      throws IOException {
    Format format = archive.getName().endsWith(".zip") ? Format.ZIP : Format.TAR_GZ;
    Map<String, String> shas =
        read(
            fs,
            archive,
            format,
            (name, in) -> {
              try (OutputStream out = targetFs.create(new Path(target, name), false)) {
                IOUtils.copy(in, out);
              }
            });
    List<String> problems = new ArrayList<>();
    Optional<String> manifestEntry =
        shas.keySet().stream()
            .filter(
                name ->
                    name.startsWith(Manifests.DIR + "/")
                        && Manifests.runIdOf(new Path(name).getName()).isPresent())
            .findFirst();
    if (manifestEntry.isEmpty()) {
      problems.add("the archive holds no manifest");
    } else {
      Manifest manifest =
          Manifests.read(targetFs, new Path(target, manifestEntry.get()))
              .orElseThrow(() -> new IOException("the manifest in " + archive + " cannot be read"));
      for (OutputFile file : manifest.files()) {
        String sha = shas.get(file.path());
        if (sha != null && !sha.equals(file.sha256())) {
          problems.add(file.path() + ": SHA-256 " + sha + ", the manifest says " + file.sha256());
        }
      }
    }
    return new Restored(shas, problems);
  }

  private interface EntrySink {
    void accept(String name, InputStream in) throws IOException;
  }

  private static Map<String, String> read(
      FileSystem fs, Path archive, Format format, EntrySink sink) throws IOException {
    Map<String, String> shas = new LinkedHashMap<>();
    try (InputStream raw = new BufferedInputStream(fs.open(archive));
        ArchiveInputStream<? extends ArchiveEntry> in =
            format == Format.ZIP
                ? new ZipArchiveInputStream(raw)
                : new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
      ArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName();
        if (name.startsWith("/") || List.of(name.split("/")).contains("..")) {
          throw new IOException(
              "the archive " + archive + " has an entry outside its root: " + name);
        }
        DigestInputStream digest = new DigestInputStream(in, sha256());
        if (sink != null) {
          sink.accept(name, new NonClosing(digest));
        }
        digest.transferTo(OutputStream.nullOutputStream());
        shas.put(name, HexFormat.of().formatHex(digest.getMessageDigest().digest()));
      }
    }
    return shas;
  }

  @SuppressWarnings("unchecked")
  private static void add(
      ArchiveOutputStream<? extends ArchiveEntry> out,
      Format format,
      String name,
      FileSystem fs,
      Path source,
      Map<String, String> written)
      throws IOException {
    long size = fs.getFileStatus(source).getLen();
    ArchiveEntry entry;
    if (format == Format.ZIP) {
      ZipArchiveEntry zip = new ZipArchiveEntry(name);
      zip.setSize(size);
      entry = zip;
      ((ArchiveOutputStream<ZipArchiveEntry>) out).putArchiveEntry(zip);
    } else {
      TarArchiveEntry tar = new TarArchiveEntry(name);
      tar.setSize(size);
      entry = tar;
      ((ArchiveOutputStream<TarArchiveEntry>) out).putArchiveEntry(tar);
    }
    MessageDigest digest = sha256();
    long copied;
    try (InputStream in = new DigestInputStream(fs.open(source), digest)) {
      copied = IOUtils.copy(in, out);
    }
    if (copied != size) {
      throw new IOException(
          source
              + " changed while it was archived: "
              + copied
              + " bytes read, "
              + size
              + " listed");
    }
    out.closeArchiveEntry();
    written.put(entry.getName(), HexFormat.of().formatHex(digest.digest()));
  }

  private static ArchiveOutputStream<? extends ArchiveEntry> open(OutputStream raw, Format format)
      throws IOException {
    if (format == Format.ZIP) {
      return new ZipArchiveOutputStream(raw);
    }
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Lets a sink close what it was given without closing the archive. */
  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the archive stream stays open for the next entry
    }
  }
}
