package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What retention does with one export, and why: the rules that keep it, or why it goes. */
public record Decision(Export export, Action action, List<String> reasons) {
  public Decision {
    requireNonNull(export, "export is null");
    requireNonNull(action, "action is null");
    reasons = List.copyOf(reasons);
  }

  public enum Action {
    KEEP,
    DELETE,
    ARCHIVE_AND_DELETE;

    public boolean removes() {
      return this != KEEP;
    }

    public String text() {
      return switch (this) {
        case KEEP -> "keep";
        case DELETE -> "delete";
        case ARCHIVE_AND_DELETE -> "archive+delete";
      };
    }
  }
}
