package io.lakeport.notify;

import io.lakeport.config.InputSpec;
import io.lakeport.config.JobSpec;
import io.lakeport.config.SourceSpec;
import io.lakeport.manifest.Manifest;
import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A run's inputs and export as OpenLineage datasets, named as the OpenLineage naming spec says for
 * their kind of location ({@code s3://bucket} and the key, {@code file} and the path, a database's
 * {@code scheme://host:port} and the table), with the facets the manifest backs: schemas, the
 * version read or written (a Delta version, a watermark, the run), and the rows, bytes and files
 * written.
 */
final class LineageDatasets {
  private LineageDatasets() {}

  /**
   * The job's inputs (its source, or each of several); with their schemas and versions once the
   * run's manifest says them.
   */
  static List<OpenLineage.InputDataset> inputs(
      OpenLineage ol, JobSpec job, Optional<Manifest> manifest) {
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    for (InputSpec input : job.inputs()) {
      Name name = source(input.source());
      OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder();
      manifest
          .flatMap(m -> read(m, job, input.name()))
          .ifPresent(
              read -> {
                sourceColumns(read.source())
                    .ifPresent(columns -> facets.schema(schema(ol, columns)));
                sourceVersion(read.source(), read.increment())
                    .ifPresent(v -> facets.version(ol.newDatasetVersionDatasetFacet(v)));
              });
      inputs.add(
          ol.newInputDatasetBuilder()
              .namespace(name.namespace())
              .name(name.name())
              .facets(facets.build())
              .build());
    }
    return inputs;
  }

  /** What the manifest says was read of an input: the source, or one of several inputs. */
  private static Optional<Manifest.Input> read(Manifest m, JobSpec job, String input) {
    if (!job.combines()) {
      return Optional.of(new Manifest.Input(input, m.source(), null, m.increment()));
    }
    return Optional.ofNullable(m.inputs()).stream()
        .flatMap(List::stream)
        .filter(i -> i.name().equals(input))
        .findFirst();
  }

  /** The export; with its schema, version and statistics once the run's manifest says them. */
  static OpenLineage.OutputDataset output(
      OpenLineage ol, JobSpec job, Optional<Manifest> manifest) {
    Name name = location(job.sink().path());
    OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder();
    OpenLineage.OutputDatasetOutputFacetsBuilder statistics =
        ol.newOutputDatasetOutputFacetsBuilder();
    manifest.ifPresent(
        m -> {
          facets.schema(schema(ol, m.schema()));
          facets.version(
              ol.newDatasetVersionDatasetFacet(
                  m.sink() != null && m.sink().deltaVersion() != null
                      ? String.valueOf(m.sink().deltaVersion())
                      : m.runId()));
          statistics.outputStatistics(
              ol.newOutputStatisticsOutputDatasetFacet(
                  m.totals().rows(), m.totals().bytes(), m.totals().files()));
        });
    return ol.newOutputDatasetBuilder()
        .namespace(name.namespace())
        .name(name.name())
        .facets(facets.build())
        .outputFacets(statistics.build())
        .build();
  }

  private static OpenLineage.SchemaDatasetFacet schema(
      OpenLineage ol, List<Manifest.ColumnInfo> columns) {
    List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
    for (Manifest.ColumnInfo c : columns) {
      fields.add(ol.newSchemaDatasetFacetFields(c.name(), c.type(), null, null, null));
    }
    return ol.newSchemaDatasetFacet(fields);
  }

  /** The source's columns as the manifest records them ({@code source.schema}, as maps). */
  private static Optional<List<Manifest.ColumnInfo>> sourceColumns(Map<String, Object> source) {
    if (!(source.get("schema") instanceof List<?> list)) {
      return Optional.empty();
    }
    List<Manifest.ColumnInfo> columns = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> map) {
        columns.add(
            new Manifest.ColumnInfo(
                String.valueOf(map.get("name")),
                String.valueOf(map.get("type")),
                Boolean.TRUE.equals(map.get("nullable"))));
      }
    }
    return Optional.of(columns);
  }

  /** The version read: a Delta or table version, else the watermark the run reached. */
  private static Optional<String> sourceVersion(
      Map<String, Object> source, Manifest.Increment increment) {
    Object version = source.get("version");
    if (version != null) {
      return Optional.of(String.valueOf(version));
    }
    return Optional.ofNullable(increment)
        .map(Manifest.Increment::upTo)
        .map(upTo -> "watermark " + upTo);
  }

  private static Name source(SourceSpec source) {
    return switch (source.format()) {
      case JDBC ->
          jdbc(
              source.jdbc().map(j -> j.url()).orElse("jdbc:unknown"),
              source.jdbc().flatMap(j -> j.table()).orElse("query"));
      case TABLE -> new Name("spark_catalog", source.location());
      default -> location(source.location());
    };
  }

  /** {@code jdbc:postgresql://host:5432/db} and a table: {@code postgres://host:5432}, db.table. */
  private static Name jdbc(String url, String table) {
    String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
    try {
      URI uri = new URI(rest);
      if (uri.getHost() != null) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String namespace =
            (scheme.equals("postgresql") ? "postgres" : scheme)
                + "://"
                + uri.getHost()
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new Name(namespace, database.isEmpty() ? table : database + "." + table);
      }
    } catch (URISyntaxException e) {
      // named below
    }
    String scheme = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
    return new Name(scheme, table);
  }

  /**
   * A path: {@code s3a://bucket/key} is {@code s3://bucket} and {@code key}; a local path is {@code
   * file} and the path; another scheme keeps its authority as the namespace.
   */
  static Name location(String path) {
    try {
      URI uri = new URI(path);
      String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.startsWith("s3")) {
        return new Name("s3://" + uri.getAuthority(), uri.getPath().replaceFirst("^/", ""));
      }
      if (scheme.equals("file")) {
        return new Name("file", uri.getPath());
      }
      return new Name(
          scheme + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()), uri.getPath());
    } catch (URISyntaxException e) {
      return new Name("file", path);
    }
  }

  /** A dataset's OpenLineage namespace and name. */
  record Name(String namespace, String name) {}
}
