package io.lakeport.run;

import io.lakeport.manifest.Manifest.PartitionInfo;
import io.lakeport.manifest.OutputFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per-partition totals from the per-file statistics. */
final class Partitions {
  private Partitions() {}

  static List<PartitionInfo> summarise(List<OutputFile> files) {
    Map<String, long[]> totals = new TreeMap<>();
    Map<String, Map<String, String>> values = new LinkedHashMap<>();
    for (OutputFile f : files) {
      String key = folder(f.path());
      long[] t = totals.computeIfAbsent(key, k -> new long[3]);
      t[0] += f.rows();
      t[1]++;
      t[2] += f.bytes();
      values.putIfAbsent(key, f.partition());
    }
    List<PartitionInfo> result = new ArrayList<>();
    totals.forEach((key, t) -> result.add(new PartitionInfo(values.get(key), t[0], t[1], t[2])));
    return result;
  }

  private static String folder(String relative) {
    int slash = relative.lastIndexOf('/');
    return slash < 0 ? "" : relative.substring(0, slash);
  }
}
