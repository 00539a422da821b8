package io.lakeport.cli;

import io.lakeport.config.Templates;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lakeport templates ...}: the job templates that job files extend. */
@Command(
    name = "templates",
    description = "The job templates in jobs/templates/ that job files extend.",
    subcommands = {TemplatesCommand.ListCommand.class})
final class TemplatesCommand {
  @ParentCommand Lakeport lakeport;

  /** {@code lakeport templates list}: each template with what it extends and its description. */
  @Command(
      name = "list",
      description = {
        "List the templates in jobs/templates/: a job file takes one with"
            + " extends = \"templates/<name>.conf\", or lakeport new-job --from-template <name>"
            + " writes one.",
        "Exit code 0, also when there are none."
      })
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "The jobs folder whose templates/ to list (default: jobs/ in Lakeport's home).")
    Path dir;

    @Override
    public Integer call() {
      Path jobs = dir != null ? dir : Lakeport.home().resolve("jobs");
      List<Templates.Template> templates = Templates.in(jobs);
      PrintWriter out = spec.commandLine().getOut();
      if (templates.isEmpty()) {
        out.printf(
            "no templates in %s; a template is a job file's shared part, e.g. a sink and a"
                + " schedule (docs/JOBS.md, \"templates\")%n",
            jobs.resolve(Templates.FOLDER));
        out.flush();
        return 0;
      }
      Table table = new Table("TEMPLATE", "EXTENDS", "DESCRIPTION");
      for (Templates.Template template : templates) {
        table.row(
            template.name(),
            template.extendsTemplate().orElse("-"),
            template
                .problem()
                .map(problem -> "cannot read: " + problem)
                .orElse(template.description().orElse("")));
      }
      table.print(out);
      out.flush();
      return 0;
    }
  }
}
