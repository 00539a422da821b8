package io.lakeport.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/** Turns the HOCON library's exceptions into problems that point at the file and line. */
final class Loading {
  private Loading() {}

  static ConfigProblem problemOf(ConfigException e) {
    ConfigOrigin origin = e.origin();
    String file = origin == null ? "<config>" : Section.fileOf(origin);
    int line = origin == null ? -1 : origin.lineNumber();
    String message = stripOrigin(e.getMessage(), origin);
    if (e instanceof ConfigException.UnresolvedSubstitution) {
      return new ConfigProblem(
          new Origin(file, line, substitution(message)),
          "nothing defines this substitution",
          "Define it in params (and pass --param), or set it in conf/application.conf.");
    }
    if (e instanceof ConfigException.Parse) {
      return new ConfigProblem(
          new Origin(file, line, ""),
          "syntax error: " + firstSentence(message),
          syntaxFix(message));
    }
    return new ConfigProblem(new Origin(file, line, ""), message, "");
  }

  private static String syntaxFix(String message) {
    if (message.contains("got '='")) {
      return "Quote text that contains '=', e.g. path = ${lakeport.exports}\"/daily/dt=\"${params.run_date}.";
    }
    if (message.contains("got ':'")) {
      return "Quote text that contains ':', e.g. run-time = \"02:30\".";
    }
    if (message.contains("include keyword")) {
      return "\"include\" is a HOCON keyword; quote it as a key (\"include\" = ...).";
    }
    return "Fix the HOCON syntax.";
  }

  private static String firstSentence(String message) {
    int paren = message.indexOf(" (if you intended");
    return paren > 0 ? message.substring(0, paren) : message;
  }

  private static String stripOrigin(String message, ConfigOrigin origin) {
    if (origin != null && message.startsWith(origin.description() + ": ")) {
      return message.substring(origin.description().length() + 2);
    }
    return message;
  }

  private static String substitution(String message) {
    int start = message.indexOf("${");
    int end = message.indexOf('}', start);
    return start >= 0 && end > start ? message.substring(start, end + 1) : message;
  }
}
