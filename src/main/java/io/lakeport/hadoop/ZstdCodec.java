package io.lakeport.hadoop;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;

/**
 * Zstandard for Spark's text formats (CSV, JSON lines, XML), through zstd-jni, which every Spark
 * ships. Hadoop's own ZStandardCodec needs the native Hadoop library, and Spark 4.1 offers no zstd
 * for text files without it. Writes {@code .zst} files (one frame per file); reading accepts
 * concatenated frames. Registered for the {@code .zst} extension with {@code
 * io.compression.codecs}.
 */
public class ZstdCodec implements CompressionCodec {
  /** zstd's default level: a good balance of speed and size for exports. */
  private static final int LEVEL = 3;

  @Override
  public CompressionOutputStream createOutputStream(OutputStream out) throws IOException {
    return new Output(out);
  }

  @Override
  public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor)
      throws IOException {
    return new Output(out);
  }

  @Override
  public Class<? extends Compressor> getCompressorType() {
    return null;
  }

  @Override
  public Compressor createCompressor() {
    return null;
  }

  @Override
  public CompressionInputStream createInputStream(InputStream in) throws IOException {
    return new Input(in);
  }

  @Override
  public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor)
      throws IOException {
    return new Input(in);
  }

  @Override
  public Class<? extends Decompressor> getDecompressorType() {
    return null;
  }

  @Override
  public Decompressor createDecompressor() {
    return null;
  }

  @Override
  public String getDefaultExtension() {
    return ".zst";
  }

  /** Compresses into the underlying stream; {@link #finish} ends the frame without closing it. */
  private static final class Output extends CompressionOutputStream {
    private ZstdOutputStream zstd;

    Output(OutputStream out) throws IOException {
      super(out);
      this.zstd = open(out);
    }

    private static ZstdOutputStream open(OutputStream out) throws IOException {
      return new ZstdOutputStream(
          new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
              flush();
            }
          },
          LEVEL);
    }

    @Override
    public void write(int b) throws IOException {
      zstd.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      zstd.write(b, off, len);
    }

    @Override
    public void finish() throws IOException {
      if (zstd != null) {
        zstd.close();
        zstd = null;
      }
    }

    @Override
    public void resetState() throws IOException {
      finish();
      zstd = open(out);
    }
  }

  /** Decompresses every frame of the underlying stream. */
  private static final class Input extends CompressionInputStream {
    private final ZstdInputStream zstd;

    Input(InputStream in) throws IOException {
      super(in);
      this.zstd = new ZstdInputStream(in).setContinuous(false);
    }

    @Override
    public int read() throws IOException {
      return zstd.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return zstd.read(b, off, len);
    }

    @Override
    public void resetState() throws IOException {
      // frames are self-contained; nothing to reset
    }
  }
}
