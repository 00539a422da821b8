package io.lakeport.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The last lines of a text file, read from its end: a log file that grew to gigabytes costs no more
 * than its tail.
 */
final class LogTail {
  private LogTail() {}

  /**
   * The last {@code lines} lines of {@code file}, each ending in a newline, read from at most the
   * last {@code maxBytes} bytes (a longer first line is cut at its start).
   */
  static String of(Path file, int lines, int maxBytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      int length = (int) Math.min(size, maxBytes);
      ByteBuffer end = ByteBuffer.allocate(length);
      long position = size - length;
      while (end.hasRemaining()) {
        int read = channel.read(end, position + end.position());
        if (read < 0) {
          break;
        }
      }
      String text = new String(end.array(), 0, end.position(), StandardCharsets.UTF_8);
      List<String> all = text.lines().toList();
      List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
      return last.isEmpty() ? "" : String.join("\n", last) + "\n";
    }
  }
}
