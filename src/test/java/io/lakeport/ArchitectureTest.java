package io.lakeport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries of docs/ARCHITECTURE.md, read from the compiled classes (so a
 * fully-qualified call counts as much as an import). Data flows one way: config at the bottom, then
 * plan, source and sink, run, history; the entry points (cli, api, server) on top, and nothing
 * below them reaches up.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.lakeport");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.lakeport.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyTheEntryPointsUseTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.lakeport.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lakeport.cli..")
        .because(
            "the command line is an entry point: what other packages need of it belongs below it")
        .check(classes);
  }

  @Test
  void theJavaApiIsAnEntryPointToo() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.lakeport.api..", "io.lakeport.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lakeport.api..")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineStartsTheHttpServer() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.lakeport.server..", "io.lakeport.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lakeport.server..")
        .because("the HTTP server is served by the scheduler's command; nothing else starts it")
        .check(classes);
  }

  @Test
  void theHttpServerDoesNotGoThroughTheJavaApi() {
    noClasses()
        .that()
        .resideInAPackage("io.lakeport.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lakeport.api..")
        .because(
            "the server and the Java API are two entry points side by side: what both need belongs"
                + " below them")
        .check(classes);
  }

  @Test
  void configIsPlainRecordsWithoutSparkOrTheLayersAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("io.lakeport.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.spark..",
            "org.apache.hadoop..",
            "io.lakeport.plan..",
            "io.lakeport.source..",
            "io.lakeport.sink..",
            "io.lakeport.run..",
            "io.lakeport.history..",
            "io.lakeport.schedule..",
            "io.lakeport.retention..",
            "io.lakeport.notify..")
        .check(classes);
  }

  @Test
  void theHistoryAndTheSchedulerNeedNoSparkSql() {
    noClasses()
        .that()
        .resideInAnyPackage("io.lakeport.history..", "io.lakeport.schedule..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.spark.sql..",
            "io.lakeport.run..",
            "io.lakeport.plan..",
            "io.lakeport.source..",
            "io.lakeport.sink..")
        .because(
            "the scheduler submits through a launcher and keeps its state in the history; Spark stays in"
                + " the runs")
        .check(classes);
  }

  @Test
  void theManifestIsReadWithoutTheRunsThatWriteIt() {
    noClasses()
        .that()
        .resideInAPackage("io.lakeport.manifest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.lakeport.run..",
            "io.lakeport.plan..",
            "io.lakeport.source..",
            "io.lakeport.sink..",
            "io.lakeport.history..",
            "io.lakeport.schedule..",
            "org.apache.spark.sql..")
        .because(
            "retention, notifications, the Java API and the CLI read manifests; reading one must not"
                + " pull in the packages that run exports or keep state, nor Spark SQL")
        .check(classes);
  }

  @Test
  void planCompilationReadsNothingAndWritesNothing() {
    noClasses()
        .that()
        .resideInAPackage("io.lakeport.plan..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.lakeport.source..",
            "io.lakeport.sink..",
            "io.lakeport.run..",
            "io.lakeport.history..",
            "org.apache.hadoop.fs..")
        .check(classes);
  }

  @Test
  void failureClassificationIsTheLowestPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.lakeport.failure..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("io.lakeport.failure..", "java..", "org.apache.spark")
        .because(
            "every package classifies its failures by the exit codes defined there, so it can use no"
                + " other")
        .check(classes);
  }

  @Test
  void onlyEntryPointsStartRuns() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.lakeport.lifecycle..", "io.lakeport.cli..", "io.lakeport.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lakeport.lifecycle..")
        .because("a run's lifecycle is what an entry point asks for; nothing below starts runs")
        .check(classes);
  }
}
