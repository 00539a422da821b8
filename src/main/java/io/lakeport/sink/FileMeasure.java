package io.lakeport.sink;

import io.lakeport.config.SinkFormat;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Measures one written file in a single read: bytes, SHA-256 of the stored bytes, and rows (Parquet
 * from the footer, parsed from the end of the file kept while it is hashed (a footer larger than
 * the kept 256 KiB is read again from the end, an encrypted one through Parquet's reader), Avro
 * from its block headers; CSV, JSON and XML by counting records in the decompressed text as the
 * sink's writer options laid it out ({@link TextRecords}: encoding, line separator, delimiter,
 * quote, escape, header, row tag); Excel by counting the row elements of the workbook's sheets),
 * with the uncompressed size where the format tells.
 *
 * <p>It runs where the file was written: a write task measures its own files just before it commits
 * them ({@link LakeportCommitProtocol}), while they are still in the page cache, so no second Spark
 * job reads the export back. Files written by another committer (S3, Delta) are measured by the
 * runner in a pass of its own, with the same code.
 */
public final class FileMeasure implements Serializable {
  /** Writer option (a Hadoop setting in the write tasks) naming the sink format to measure. */
  public static final String FORMAT = "lakeport.measure.format";

  /** Writer option naming the run whose files are measured, to hand them to its runner. */
  public static final String RUN = "lakeport.measure.run";

  private static final long serialVersionUID = 1L;
  private static final int BUFFER = 1 << 16;

  /**
   * A Parquet file ends with its footer's length (4 bytes, little-endian) and the magic {@code
   * PAR1}.
   */
  private static final int FOOTER_TAIL = 8;

  /**
   * How much of a Parquet file's end is kept while it is hashed: footers of export files (a few row
   * groups) fit, so the footer is parsed without opening the file again.
   */
  private static final int KEPT_TAIL = 256 * 1024;

  private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern SHEET = Pattern.compile("xl/worksheets/sheet\\d+\\.xml");

  /**
   * The writer options (Spark's names) that lay out a text file's records, with Spark's defaults
   * for writing.
   */
  private static final Map<String, String> TEXT_LAYOUT =
      Map.of(
          "header", "false",
          "quote", "\"",
          "escape", "\\",
          "sep", ",",
          "lineSep", "\n",
          "encoding", "UTF-8",
          "rowTag", "ROW");

  private final SinkFormat format;
  private final boolean header;
  private final char quote;
  private final char escape;
  private final String delimiter;
  private final String lineSeparator;
  private final String encoding;
  private final String rowTag;
  private final int keptTail;

  /** Measures files of {@code format} written with the sink's writer {@code options}. */
  public FileMeasure(SinkFormat format, Map<String, String> options) {
    this(format, options, KEPT_TAIL);
  }

  /** As the public constructor, keeping {@code keptTail} bytes of a Parquet file's end. */
  FileMeasure(SinkFormat format, Map<String, String> options, int keptTail) {
    this.keptTail = keptTail;
    this.format = format;
    this.header = Boolean.parseBoolean(layout(options::get, "header"));
    this.quote = firstChar(layout(options::get, "quote"));
    this.escape = firstChar(layout(options::get, "escape"));
    this.delimiter = layout(options::get, "sep");
    this.lineSeparator = layout(options::get, "lineSep");
    this.encoding = layout(options::get, "encoding");
    this.rowTag = layout(options::get, "rowTag");
  }

  /** A layout option as written, or Spark's default for it. */
  private static String layout(UnaryOperator<String> options, String name) {
    String value = options.apply(name);
    return value == null ? TEXT_LAYOUT.get(name) : value;
  }

  /**
   * The measure a write task was asked for: the sink's format and writer options are Hadoop
   * settings there. Empty for writes that are not an export's data (rejects, other writers).
   */
  static Optional<FileMeasure> of(Configuration conf) {
    String format = conf.get(FORMAT);
    if (format == null) {
      return Optional.empty();
    }
    Map<String, String> options = new HashMap<>();
    TEXT_LAYOUT.keySet().forEach(name -> options.put(name, conf.get(name)));
    options.values().removeIf(Objects::isNull);
    return Optional.of(
        new FileMeasure(SinkFormat.valueOf(format.toUpperCase(Locale.ROOT)), options));
  }

  private static char firstChar(String value) {
    return value.isEmpty() ? '\0' : value.charAt(0);
  }

  /**
   * Measures the file at {@code path}, recorded under {@code relative} (its path in the export).
   */
  public MeasuredFile measure(Path path, String relative, Configuration conf) throws IOException {
    return measure(path.getFileSystem(conf), path, relative, conf);
  }

  /**
   * As {@link #measure(Path, String, Configuration)}, on a file system the caller holds: a task
   * measuring many files opens it once (the local file system is not cached, see the site's {@code
   * fs.file.impl.disable.cache}).
   */
  public MeasuredFile measure(FileSystem fs, Path path, String relative, Configuration conf)
      throws IOException {
    MessageDigest sha256 = sha256();
    long bytes = fs.getFileStatus(path).getLen();
    Measure measure;
    boolean parquet = format == SinkFormat.PARQUET || format == SinkFormat.DELTA;
    Tail tail = new Tail(parquet ? keptTail : 0);
    try (InputStream raw = new DigestInputStream(tail.keeping(fs.open(path, BUFFER)), sha256)) {
      measure = measure(raw, path, conf);
      drain(raw);
    }
    if (parquet) {
      measure = parquetFooter(fs, path, bytes, tail, conf);
    }
    return new MeasuredFile(
        relative,
        bytes,
        measure.rows(),
        HexFormat.of().formatHex(sha256.digest()),
        measure.uncompressed());
  }

  /**
   * Rows and uncompressed bytes from a Parquet file's footer, parsed from the end of the file kept
   * while it was hashed, so the file is opened once. Only a footer larger than the kept tail is
   * read again, from the end of the file. Opening a {@link ParquetFileReader} builds its read
   * options from the task's Hadoop settings, which costs more than the read itself (tens of
   * milliseconds per file); an encrypted footer, which only the reader can decode, still goes
   * through it.
   */
  private static Measure parquetFooter(
      FileSystem fs, Path path, long bytes, Tail tail, Configuration conf) throws IOException {
    if (bytes < PARQUET_MAGIC.length + FOOTER_TAIL) {
      throw new IOException(path + " is not a Parquet file: it holds " + bytes + " bytes");
    }
    byte[] kept = tail.bytes();
    if (kept.length < FOOTER_TAIL || tail.total() != bytes) {
      throw new IOException(
          path + " changed while it was measured: " + tail.total() + " bytes read, " + bytes);
    }
    if (Arrays.equals(
        kept,
        kept.length - PARQUET_MAGIC.length,
        kept.length,
        PARQUET_MAGIC,
        0,
        PARQUET_MAGIC.length)) {
      int length =
          ByteBuffer.wrap(kept, kept.length - FOOTER_TAIL, 4)
              .order(ByteOrder.LITTLE_ENDIAN)
              .getInt();
      if (length < 0 || length > bytes - FOOTER_TAIL - PARQUET_MAGIC.length) {
        throw new IOException(path + " has a Parquet footer length of " + length + " bytes");
      }
      return footer(footerBytes(fs, path, bytes, kept, length));
    }
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
      return new Measure(
          reader.getRecordCount(),
          reader.getFooter().getBlocks().stream().mapToLong(BlockMetaData::getTotalByteSize).sum());
    }
  }

  /** The footer from the kept tail, or, when it is larger, read again from the end of the file. */
  private static byte[] footerBytes(FileSystem fs, Path path, long bytes, byte[] kept, int length)
      throws IOException {
    int start = kept.length - FOOTER_TAIL - length;
    if (start >= 0) {
      return Arrays.copyOfRange(kept, start, start + length);
    }
    byte[] footer = new byte[length];
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(bytes - FOOTER_TAIL - length, footer);
    }
    return footer;
  }

  private static Measure footer(byte[] footer) throws IOException {
    FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
    return new Measure(
        metadata.getNum_rows(),
        metadata.getRow_groups().stream().mapToLong(RowGroup::getTotal_byte_size).sum());
  }

  /**
   * The last bytes of a stream read through {@link #keeping}, in a ring buffer: the end of a
   * Parquet file, which holds its footer, kept while the file is hashed.
   */
  private static final class Tail {
    private final byte[] ring;
    private long total;

    Tail(int size) {
      this.ring = new byte[size];
    }

    InputStream keeping(InputStream in) {
      return ring.length == 0 ? in : new Keeping(in);
    }

    long total() {
      return total;
    }

    /** The kept bytes in file order: the last {@code min(size, total)} bytes read. */
    byte[] bytes() {
      int kept = (int) Math.min(ring.length, total);
      byte[] tail = new byte[kept];
      int end = (int) (total % Math.max(ring.length, 1));
      int first = Math.min(kept, end);
      System.arraycopy(ring, ring.length - (kept - first), tail, 0, kept - first);
      System.arraycopy(ring, end - first, tail, kept - first, first);
      return tail;
    }

    /**
     * Keeps bytes {@code b[off, off + len)}, the next ones of the stream, of which the last fit.
     */
    private void keep(byte[] b, int off, int len) {
      int skip = Math.max(0, len - ring.length);
      int kept = len - skip;
      int at = (int) ((total + skip) % ring.length);
      int first = Math.min(kept, ring.length - at);
      System.arraycopy(b, off + skip, ring, at, first);
      System.arraycopy(b, off + skip + first, ring, 0, kept - first);
      total += len;
    }

    private final class Keeping extends FilterInputStream {
      Keeping(InputStream in) {
        super(in);
      }

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          keep(new byte[] {(byte) b}, 0, 1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          keep(b, off, n);
        }
        return n;
      }
    }
  }

  /** Rows in a file, and its uncompressed bytes where the format tells (null otherwise). */
  private record Measure(long rows, Long uncompressed) {}

  /** Reads the file's content once; Parquet is measured from its footer afterwards. */
  private Measure measure(InputStream raw, Path path, Configuration conf) throws IOException {
    return switch (format) {
      case PARQUET, DELTA -> new Measure(0, null);
      case CSV, JSON, XML -> measureText(decompressed(raw, path, conf));
      case AVRO -> new Measure(countAvroRecords(raw), null);
      case EXCEL -> measureWorkbook(raw);
    };
  }

  private Measure measureText(Counting decompressed) throws IOException {
    Charset charset = Charset.forName(encoding);
    long rows =
        switch (format) {
          case JSON -> TextRecords.json(TextRecords.decode(decompressed, charset, "{}[]\"\\"));
          case XML ->
              TextRecords.elements(
                  TextRecords.decode(decompressed, charset, "<>" + rowTag), rowTag);
          case CSV ->
              withoutHeader(
                  TextRecords.csv(
                      TextRecords.decode(
                          decompressed, charset, delimiter + lineSeparator + quote + escape),
                      delimiter,
                      lineSeparator,
                      quote,
                      escape));
          case PARQUET, AVRO, EXCEL, DELTA ->
              throw new IllegalStateException(format + " is not a text format");
        };
    return new Measure(rows, decompressed.count);
  }

  /**
   * Rows of an xlsx workbook: the row elements of its sheets, less a header row per sheet; its
   * uncompressed size is the sum of its zip entries' sizes.
   */
  private Measure measureWorkbook(InputStream raw) throws IOException {
    // Not closed here: closing would close the stream the caller still drains for the digest.
    ZipInputStream zip = new ZipInputStream(raw);
    Counting unzipped = new Counting(zip);
    long rows = 0;
    for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
      if (SHEET.matcher(entry.getName()).matches()) {
        rows +=
            withoutHeader(
                TextRecords.elements(
                    TextRecords.decode(unzipped, StandardCharsets.UTF_8, "<>row"), "row"));
      } else {
        drain(unzipped);
      }
    }
    return new Measure(rows, unzipped.count);
  }

  private long withoutHeader(long rows) {
    return header && rows > 0 ? rows - 1 : rows;
  }

  private static Counting decompressed(InputStream raw, Path path, Configuration conf)
      throws IOException {
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    return new Counting(codec == null ? raw : codec.createInputStream(raw));
  }

  /** Counts the bytes read through it: the uncompressed size of a text file. */
  private static final class Counting extends FilterInputStream {
    private long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b >= 0 ? 1 : 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }

  private static long drain(InputStream in) throws IOException {
    byte[] buffer = new byte[BUFFER];
    while (in.read(buffer) >= 0) {
      // the digest sees every byte
    }
    return 0;
  }

  /** Sums the record counts of an Avro container's blocks, without decoding the records. */
  private static long countAvroRecords(InputStream in) throws IOException {
    long records = 0;
    // Not closed here: closing would close the stream the caller still drains for the digest.
    DataFileStream<Object> avro = new DataFileStream<>(in, new GenericDatumReader<>());
    while (avro.hasNext()) {
      records += avro.getBlockCount();
      avro.nextBlock();
    }
    return records;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException("SHA-256 is missing from this JVM", e));
    }
  }
}
