package io.lakeport.hadoop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local file system without a forked process per file. Without the native Hadoop library,
 * {@link RawLocalFileSystem} runs {@code chmod} in a new process for every file and folder it
 * creates (25-30 ms each here), which made small partitioned writes several times slower, and
 * {@code ls} for every file whose permission a listing asks for. This sets and reads the same
 * permissions through {@code java.nio}. Selected with {@code spark.hadoop.fs.file.impl}. It stays a
 * {@link LocalFileSystem}, as s3a's upload buffers require, but writes no {@code .crc} side files:
 * the run manifest records a SHA-256 of every file.
 */
public class NoForkLocalFileSystem extends LocalFileSystem {
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ
  };

  public NoForkLocalFileSystem() {
    super(new Raw());
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setWriteChecksum(false);
    setVerifyChecksum(false);
  }

  /** The raw local file system, with permissions set in-process. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public String getScheme() {
      return "file";
    }

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      short mode = permission.toShort();
      for (int bit = 0; bit < BITS.length; bit++) {
        if ((mode & (1 << bit)) != 0) {
          set.add(BITS[bit]);
        }
      }
      Files.setPosixFilePermissions(pathToFile(p).toPath(), set);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return withPermission(super.getFileStatus(f), true);
    }

    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      return withPermission(super.getFileLinkStatus(f), false);
    }

    /**
     * The children of a folder come through {@link #getFileStatus}; a file's own status does not.
     */
    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      FileStatus[] statuses = super.listStatus(f);
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] = withPermission(statuses[i], true);
      }
      return statuses;
    }

    /**
     * The status with its permission, owner and group read in-process. Hadoop's own status reads
     * them lazily by running {@code ls} in a new process, once per file: every listing that builds
     * {@code LocatedFileStatus}es (Spark's file index, a recursive {@code listFiles}) forked once
     * per file listed. Where the file system has no POSIX attributes, Hadoop's lookup stays.
     */
    private FileStatus withPermission(FileStatus status, boolean followLinks) {
      if (status.getClass() == FileStatus.class) {
        return status;
      }
      try {
        java.nio.file.Path file = pathToFile(status.getPath()).toPath();
        PosixFileAttributes attributes =
            followLinks
                ? Files.readAttributes(file, PosixFileAttributes.class)
                : Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new FileStatus(
            status.getLen(),
            status.isDirectory(),
            status.getReplication(),
            status.getBlockSize(),
            status.getModificationTime(),
            status.getAccessTime(),
            permission(attributes.permissions()),
            attributes.owner().getName(),
            attributes.group().getName(),
            status.isSymlink() ? status.getSymlink() : null,
            status.getPath());
      } catch (IOException | UnsupportedOperationException e) {
        return status;
      }
    }

    private static FsPermission permission(Set<PosixFilePermission> set) {
      short mode = 0;
      for (int bit = 0; bit < BITS.length; bit++) {
        if (set.contains(BITS[bit])) {
          mode |= (short) (1 << bit);
        }
      }
      return new FsPermission(mode);
    }
  }
}
