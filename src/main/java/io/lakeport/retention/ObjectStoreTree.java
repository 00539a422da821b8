package io.lakeport.retention;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.BulkDelete;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * An export root on an object store (S3 through s3a) or any other Hadoop file system without links:
 * one flat, paged listing of every object under the root, and deletes through Hadoop's bulk delete
 * API (S3 DeleteObjects, {@code fs.s3a.bulk.delete.page.size} keys a request).
 */
final class ObjectStoreTree implements ExportTree {
  private final FileSystem fs;
  private final Path root;
  private final String prefix;

  ObjectStoreTree(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = fs.makeQualified(root);
    String path = this.root.toUri().getPath();
    this.prefix = path.endsWith("/") ? path : path + "/";
  }

  @Override
  public List<Entry> walk() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try {
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
      while (files.hasNext()) {
        LocatedFileStatus status = files.next();
        String path = status.getPath().toUri().getPath();
        if (path.startsWith(prefix)) {
          entries.add(
              new Entry(
                  path.substring(prefix.length()),
                  status.getLen(),
                  Instant.ofEpochMilli(status.getModificationTime()),
                  false));
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    }
    return entries;
  }

  @Override
  public List<String> delete(Collection<String> files) throws IOException {
    List<String> failed = new ArrayList<>();
    try (BulkDelete bulk = fs.createBulkDelete(root)) {
      int page = Math.max(1, bulk.pageSize());
      List<Path> batch = new ArrayList<>(page);
      for (String relative : files) {
        batch.add(new Path(root, relative));
        if (batch.size() == page) {
          flush(bulk, batch, failed);
        }
      }
      flush(bulk, batch, failed);
    }
    return failed;
  }

  private void flush(BulkDelete bulk, List<Path> batch, List<String> failed) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    for (Map.Entry<Path, String> failure : bulk.bulkDelete(batch)) {
      failed.add(failure.getKey() + ": " + failure.getValue());
    }
    batch.clear();
  }

  @Override
  public boolean throughLink(String relative) {
    return false;
  }
}
