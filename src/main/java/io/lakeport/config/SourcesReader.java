package io.lakeport.config;

import com.typesafe.config.ConfigValueType;
import io.lakeport.config.PlanSpec.Combine;
import io.lakeport.config.PlanSpec.Join;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the inputs of a job with several, {@code sources { orders { ... }, customers { ... } }},
 * against the plan's join or union: each input read as a {@code source} block, every input the plan
 * names declared, every declared input used. The inputs come in the plan's order (the left or first
 * one first), since the first stands for the job where one source is shown.
 */
final class SourcesReader {
  private static final String NAME_PATTERN = "[a-z][a-z0-9_]*";

  private SourcesReader() {}

  static List<InputSpec> read(Section sources, Optional<Combine> combine, Section top) {
    Map<String, InputSpec> declared = new LinkedHashMap<>();
    sources
        .entries("")
        .forEach(
            (name, value) -> {
              if (value.valueType() != ConfigValueType.OBJECT) {
                sources.problem(
                    name,
                    "expected a source block, found "
                        + value.valueType().name().toLowerCase(Locale.ROOT),
                    "Write sources { " + name + " { format = ..., path = ... } }.");
                return;
              }
              if (!name.matches(NAME_PATTERN)) {
                sources.problem(
                    name,
                    "invalid input name \"" + name + "\"",
                    "Use lower-case letters, digits and '_', starting with a letter (it qualifies"
                        + " columns in a join condition, e.g. orders.customer_id).");
              }
              declared.put(
                  name,
                  new InputSpec(
                      name, Endpoints.source(sources.section(name, Endpoints.SOURCE_KEYS))));
            });
    if (declared.isEmpty()) {
      top.problem(
          JobLoader.SOURCES,
          "a job needs at least one input",
          "Write sources { orders { format = ..., path = ... } }, or source { ... } for one input.");
      return List.of(placeholder(top));
    }
    List<InputSpec> ordered = new ArrayList<>();
    if (combine.isPresent()) {
      Combine c = combine.get();
      boolean unknown = false;
      for (String name : c.inputs()) {
        InputSpec input = declared.remove(name);
        if (input != null) {
          ordered.add(input);
        } else if (!name.isEmpty()) {
          unknown = true;
          top.problems()
              .add(
                  c.origin(key(c, name)),
                  "unknown input \"" + name + "\"",
                  Suggestions.didYouMean(name, names(sources))
                      + "Inputs of this job (sources { ... }): "
                      + String.join(", ", names(sources))
                      + ".");
        }
      }
      // an unknown name is most likely a declared input misspelt: that one is reported
      for (String name : unknown ? List.<String>of() : declared.keySet()) {
        sources.problem(
            name,
            "input \"" + name + "\" is read but the plan does not use it",
            "Name it in plan." + (c instanceof Join ? "join" : "union.inputs") + ", or remove it.");
      }
    } else if (declared.size() > 1) {
      top.problem(
          JobLoader.SOURCES,
          declared.size()
              + " inputs ("
              + String.join(", ", declared.keySet())
              + ") and no way"
              + " to make one table of them",
          "Add plan.join { left = ..., right = ..., on = [...] } or plan.union { inputs = [...] }.");
    }
    ordered.addAll(declared.values());
    return ordered.isEmpty() ? List.of(placeholder(top)) : ordered;
  }

  /**
   * Which inputs an incremental job takes increments of: those {@code key} names; by default the
   * only input, the left one of a join, every one of a union.
   */
  static List<String> incremented(
      Section incremental, String key, List<InputSpec> inputs, Optional<Combine> combine) {
    List<String> names = inputs.stream().map(InputSpec::name).toList();
    if (!incremental.has(key)) {
      if (combine.isPresent() && combine.get() instanceof Join join) {
        return List.of(join.left());
      }
      return names;
    }
    List<String> chosen = incremental.stringList(key);
    for (String name : chosen) {
      if (!names.contains(name)) {
        incremental.problem(
            key,
            "unknown input \"" + name + "\"",
            Suggestions.didYouMean(name, names)
                + "Inputs of this job: "
                + String.join(", ", names)
                + ".");
      }
    }
    if (chosen.isEmpty()) {
      incremental.problem(
          key,
          "names no input",
          "Name the inputs to read increments of, e.g. [" + names.get(0) + "].");
    }
    return chosen;
  }

  private static InputSpec placeholder(Section top) {
    return new InputSpec(
        InputSpec.SINGLE,
        Endpoints.source(
            new Section(top.root(), JobLoader.SOURCES, new Problems(), Endpoints.SOURCE_KEYS)));
  }

  private static List<String> names(Section sources) {
    return List.copyOf(sources.entries("").keySet());
  }

  private static String key(Combine combine, String name) {
    if (combine instanceof Join join) {
      return name.equals(join.left()) ? PlanReader.LEFT : PlanReader.RIGHT;
    }
    return PlanReader.INPUTS;
  }
}
