package io.lakeport.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Counts the records of a text file as its writer laid them out: characters decoded in the file's
 * encoding, CSV records ended by the sink's line separator outside quoted fields, JSON records as
 * top-level values whatever separates them, XML records as start tags of the row element.
 *
 * <p>Files in UTF-8, US-ASCII or ISO-8859-1 whose separators and quotes are ASCII are scanned byte
 * by byte without decoding: in those encodings an ASCII byte always stands for that character.
 */
final class TextRecords {
  private static final int BUFFER = 1 << 16;
  private static final Set<Charset> ASCII_COMPATIBLE =
      Set.of(StandardCharsets.UTF_8, StandardCharsets.US_ASCII, StandardCharsets.ISO_8859_1);

  private TextRecords() {}

  /** Characters read in blocks, like {@link java.io.Reader#read(char[])}. */
  interface Chars {
    int read(char[] into) throws IOException;
  }

  /**
   * The characters of {@code in}, written in {@code charset}; {@code specials} are the characters
   * the count looks for. The stream is read to its end by the count and not closed.
   */
  static Chars decode(InputStream in, Charset charset, String specials) {
    if (ASCII_COMPATIBLE.contains(charset) && specials.chars().allMatch(c -> c < 0x80)) {
      byte[] bytes = new byte[BUFFER];
      return into -> {
        int n = in.read(bytes, 0, Math.min(bytes.length, into.length));
        for (int i = 0; i < n; i++) {
          into[i] = (char) (bytes[i] & 0xff);
        }
        return n;
      };
    }
    // Not closed here: closing would close the stream the caller still drains for the digest.
    InputStreamReader reader = new InputStreamReader(in, charset);
    return reader::read;
  }

  /** Where a CSV scan stands within a record. */
  private enum Field {
    START,
    UNQUOTED,
    QUOTED,
    ESCAPED,
    CLOSED
  }

  /**
   * CSV records: a line separator ends one unless it is inside a quoted field. A quote opens a
   * quoted field only at the field's start (with {@code escape-quotes = false} a quote inside a
   * value is written bare); inside, the escape character takes the next one literally, and when it
   * is the quote itself a doubled quote stands for one.
   */
  static long csv(Chars text, String delimiter, String lineSeparator, char quote, char escape)
      throws IOException {
    Sequence delimiters = new Sequence(delimiter);
    Sequence lines = new Sequence(lineSeparator);
    char[] buffer = new char[BUFFER];
    long records = 0;
    boolean pending = false;
    Field state = Field.START;
    int n;
    while ((n = text.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        pending = true;
        switch (state) {
          case QUOTED -> {
            if (c == escape && escape != quote) {
              state = Field.ESCAPED;
            } else if (c == quote) {
              state = Field.CLOSED;
            }
            continue;
          }
          case ESCAPED -> {
            state = Field.QUOTED;
            continue;
          }
          case CLOSED -> {
            if (c == quote && escape == quote) {
              state = Field.QUOTED;
              continue;
            }
          }
          case START -> {
            if (c == quote) {
              state = Field.QUOTED;
              continue;
            }
          }
          case UNQUOTED -> {
            // separators are looked for below
          }
        }
        state = Field.UNQUOTED;
        if (lines.advance(c)) {
          records++;
          pending = false;
          delimiters.reset();
          state = Field.START;
        } else if (delimiters.advance(c)) {
          lines.reset();
          state = Field.START;
        }
      }
    }
    return pending ? records + 1 : records;
  }

  /**
   * JSON records: top-level objects or arrays, counted as their closing bracket is reached outside
   * strings, so neither the line separator nor pretty printing matters.
   */
  static long json(Chars text) throws IOException {
    char[] buffer = new char[BUFFER];
    long records = 0;
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    int n;
    while ((n = text.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
          depth--;
          records += depth == 0 ? 1 : 0;
        }
      }
    }
    return records;
  }

  /** Counts start tags of the row element ({@code <ROW>} or {@code <ROW attr=...>}). */
  static long elements(Chars text, String tag) throws IOException {
    char[] open = ("<" + tag).toCharArray();
    char[] buffer = new char[BUFFER];
    long count = 0;
    int matched = 0;
    int n;
    while ((n = text.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        char c = buffer[i];
        if (matched == open.length) {
          if (c == '>' || c == ' ' || c == '/' || c == '\n' || c == '\t' || c == '\r') {
            count++;
          }
          matched = 0;
        }
        matched = c == open[matched] ? matched + 1 : c == open[0] ? 1 : 0;
      }
    }
    return count;
  }

  /** Finds a separator of one or more characters in a stream of characters. */
  private static final class Sequence {
    private final char[] chars;
    private int matched;

    Sequence(String separator) {
      this.chars = separator.toCharArray();
    }

    /** True when {@code c} completes the separator. */
    boolean advance(char c) {
      if (c == chars[matched]) {
        matched++;
      } else {
        matched = fallback(c);
      }
      if (matched == chars.length) {
        matched = 0;
        return true;
      }
      return false;
    }

    /**
     * After a mismatch: the longest start of the separator that ends with {@code c} (so "aab" is
     * found in "aaab").
     */
    private int fallback(char c) {
      for (int k = matched; k > 0; k--) {
        if (chars[k - 1] == c && Arrays.equals(chars, 0, k - 1, chars, matched - k + 1, matched)) {
          return k;
        }
      }
      return 0;
    }

    void reset() {
      matched = 0;
    }
  }
}
