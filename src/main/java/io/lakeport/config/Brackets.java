package io.lakeport.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Finds the {@code {} or {@code [} of a HOCON text that is never closed. The HOCON parser notices a
 * missing {@code }} only where the text ends; the opener's line is what the user needs. Skips
 * quoted strings ({@code "..."}, {@code """..."""}) and comments ({@code #}, {@code //}), as HOCON
 * does.
 */
final class Brackets {
  /** A {@code {} or {@code [} and the line it is on (from 1). */
  record Opener(char bracket, int line) {
    char closer() {
      return bracket == '{' ? '}' : ']';
    }
  }

  private final String text;
  private final Deque<Opener> open = new ArrayDeque<>();
  private int at;
  private int line = 1;

  private Brackets(String text) {
    this.text = text;
  }

  /**
   * The innermost opener still open where the text ends, or the opener a wrong closer meets (a
   * {@code [} closed by {@code }}); empty when every bracket is closed.
   */
  static Optional<Opener> unclosed(String text) {
    return new Brackets(text).scan();
  }

  private Optional<Opener> scan() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '"') {
        skipString();
        continue;
      }
      if (c == '#' || text.startsWith("//", at)) {
        skipToLineEnd();
        continue;
      }
      if (c == '{' || c == '[') {
        open.push(new Opener(c, line));
      } else if (c == '}' || c == ']') {
        Opener opener = open.poll();
        if (opener != null && opener.closer() != c) {
          return Optional.of(opener);
        }
      } else if (c == '\n') {
        line++;
      }
      at++;
    }
    return Optional.ofNullable(open.peek());
  }

  private void skipString() {
    if (text.startsWith("\"\"\"", at)) {
      int end = text.indexOf("\"\"\"", at + 3);
      advanceTo(end < 0 ? text.length() : end + 3);
      return;
    }
    int i = at + 1;
    while (i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n') {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    advanceTo(Math.min(text.length(), i + 1));
  }

  private void skipToLineEnd() {
    int end = text.indexOf('\n', at);
    advanceTo(end < 0 ? text.length() : end);
  }

  /** Moves to {@code end}, counting the lines passed. */
  private void advanceTo(int end) {
    for (int i = at; i < end && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    at = end;
  }
}
