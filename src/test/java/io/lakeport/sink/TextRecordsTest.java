package io.lakeport.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Record counts of text laid out by hand: records joined with their separator, so the count to
 * expect is the number of records joined.
 */
class TextRecordsTest {
  @Test
  void findsASeparatorThatOverlapsItsOwnStart() throws IOException {
    // "aab" after "aa": a naive matcher would drop the second 'a' and miss the separator
    List<String> records = List.of("1,x", "2,a", "3,aa", "4,");
    assertThat(csv(String.join("aab", records) + "aab", "aab", StandardCharsets.UTF_8))
        .isEqualTo(records.size());
  }

  @Test
  void quotesOpenOnlyAtTheStartOfAField() throws IOException {
    String text = "1,5\" tall\n2,\"a\nb\"\n3,x\"y\"z\n4,\"\"\"q\"\"\n\"\n";
    assertThat(TextRecords.csv(chars(text, StandardCharsets.UTF_8), ",", "\n", '"', '"'))
        .isEqualTo(4);
  }

  @Test
  void decodesTextWhoseCharactersHoldTheByteOfANewline() throws IOException {
    // U+0A0A and U+010A hold 0x0A bytes in UTF-16; only the separator ends a record
    List<String> records = Collections.nCopies(5, "1,\u0a0a\u010a");
    for (String charset : List.of("UTF-16", "UTF-16LE", "UTF-32")) {
      assertThat(csv(String.join("\r", records), "\r", Charset.forName(charset)))
          .as(charset)
          .isEqualTo(records.size());
    }
  }

  @Test
  void countsJsonValuesWhateverSeparatesThem() throws IOException {
    String text = "{\"a\":\"}{\\\"\",\"b\":[1,{}]}<EOR>{}<EOR>{\n  \"c\" : \"\\\\\"\n}<EOR>";
    assertThat(TextRecords.json(chars(text, StandardCharsets.UTF_16))).isEqualTo(3);
  }

  private static long csv(String text, String lineSeparator, Charset charset) throws IOException {
    return TextRecords.csv(chars(text, charset), ",", lineSeparator, '"', '\\');
  }

  private static TextRecords.Chars chars(String text, Charset charset) {
    return TextRecords.decode(new ByteArrayInputStream(text.getBytes(charset)), charset, "");
  }
}
