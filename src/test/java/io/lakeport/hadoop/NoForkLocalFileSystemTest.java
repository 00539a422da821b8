package io.lakeport.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoForkLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  /** Hadoop's own raw local file system: it answers the same questions by running ls and chmod. */
  private static RawLocalFileSystem hadoops() throws Exception {
    RawLocalFileSystem raw = new RawLocalFileSystem();
    raw.initialize(java.net.URI.create("file:///"), new Configuration());
    return raw;
  }

  private NoForkLocalFileSystem ours() throws Exception {
    NoForkLocalFileSystem fs = new NoForkLocalFileSystem();
    fs.initialize(java.net.URI.create("file:///"), new Configuration());
    return fs;
  }

  @Test
  void listingsReportTheSamePermissionsOwnersAndSizesAsHadoopWithoutAskingAProcess()
      throws Exception {
    java.nio.file.Path day = Files.createDirectories(dir.resolve("event_day=2026-11-23"));
    Files.writeString(day.resolve("part-0.parquet"), "twelve bytes");
    Files.writeString(dir.resolve("readme.txt"), "x");
    Files.setPosixFilePermissions(
        day.resolve("part-0.parquet"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setPosixFilePermissions(
        dir.resolve("readme.txt"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(day, PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("readme.txt"));

    NoForkLocalFileSystem fs = ours();
    RawLocalFileSystem hadoop = hadoops();
    List<LocatedFileStatus> listed = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(dir.toUri()), true);
    while (it.hasNext()) {
      listed.add(it.next());
    }

    assertThat(listed)
        .extracting(s -> s.getPath().getName())
        .containsExactlyInAnyOrder("part-0.parquet", "readme.txt", "link.txt");
    for (LocatedFileStatus status : listed) {
      FileStatus expected = hadoop.getFileStatus(status.getPath());
      assertThat(status.getPermission())
          .as(status.getPath().toString())
          .isEqualTo(expected.getPermission());
      assertThat(status.getOwner()).isEqualTo(expected.getOwner());
      assertThat(status.getGroup()).isEqualTo(expected.getGroup());
      assertThat(status.getLen()).isEqualTo(expected.getLen());
      assertThat(status.getModificationTime()).isEqualTo(expected.getModificationTime());
    }
    FileStatus folder = fs.getFileStatus(new Path(day.toUri()));
    assertThat(folder.isDirectory()).isTrue();
    assertThat(folder.getPermission().toString()).isEqualTo("rwx------");
    // the permission is in the status itself, not looked up later in an ls process
    assertThat(folder.getClass()).isEqualTo(FileStatus.class);
    assertThat(fs.getRawFileSystem().listStatus(new Path(dir.resolve("readme.txt").toUri())))
        .singleElement()
        .satisfies(s -> assertThat(s.getClass()).isEqualTo(FileStatus.class));
  }

  @Test
  void aLinkStatusDescribesTheLinkNotItsTarget() throws Exception {
    Files.writeString(dir.resolve("target.txt"), "the target");
    Files.setPosixFilePermissions(
        dir.resolve("target.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("target.txt"));
    // Hadoop reads the link's target only from a path without a scheme
    Path link = new Path(dir.resolve("link.txt").toString());

    FileStatus ours = ours().getRawFileSystem().getFileLinkStatus(link);
    FileStatus hadoops = hadoops().getFileLinkStatus(link);

    assertThat(hadoops.isSymlink()).isTrue();
    assertThat(ours.isSymlink()).isTrue();
    assertThat(ours.getSymlink()).isEqualTo(hadoops.getSymlink());
    assertThat(ours.getPermission()).isEqualTo(hadoops.getPermission());
    assertThat(ours().getFileStatus(link).getPermission().toString()).isEqualTo("rw-------");
  }
}
