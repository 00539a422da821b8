package io.lakeport.hadoop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local file system without a forked {@code chmod} per file. Without the native Hadoop
 * library, {@link RawLocalFileSystem} runs {@code chmod} in a new process for every file and
 * folder it creates (25-30 ms each here), which made small partitioned writes several times
 * slower. This sets the same permissions through {@code java.nio}. Selected with
 * {@code spark.hadoop.fs.file.impl}. It stays a {@link LocalFileSystem}, as s3a's upload buffers
 * require, but writes no {@code .crc} side files: the run manifest records a SHA-256 of every file.
 */
public class NoForkLocalFileSystem extends LocalFileSystem {
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
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
  }
}
