package io.lakeport.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import scala.Tuple2;

/**
 * Counts the rows beyond the first of each key, as a unique-key rule reports them.
 *
 * <p>Keys are almost always unique, so a first pass only asks whether any key repeats, which needs
 * no aggregation: each key's 64-bit hash (Spark's {@code xxhash64}) goes to a task chosen by the
 * hash, sent in chunks of many hashes, and each task adds its hashes to a set of longs, stopping at
 * the first one it has seen. The pass shuffles eight bytes a row and keeps about {@value
 * #KEYS_PER_TASK} hashes per task in memory whatever the size of the export; a key repeated a
 * billion times stops its task at the second copy. Only when a hash repeats (a duplicate key, or
 * two keys with one hash) is the exact count computed, by an aggregation over the key columns, so a
 * hash collision costs time, never a wrong count.
 *
 * <p>The first pass is sound only when keys that group as equal hash as equal, which holds for
 * values compared by their bytes. Floating-point keys (where {@code -0.0} groups with {@code 0.0}),
 * nested types and strings with a collation that is not binary go straight to the aggregation.
 */
final class UniqueKeys {
  /** The hashes one task holds at most, on average: a set of about 8 MB. */
  static final long KEYS_PER_TASK = 500_000;

  private static final String HASH = "_lakeport_key_hash";

  private UniqueKeys() {}

  /** Rows beyond the first of each key among {@code rows}, of which there are {@code count}. */
  static long duplicates(Dataset<Row> rows, List<String> columns, long count) {
    Column[] keys = columns.stream().map(UniqueKeys::column).toArray(Column[]::new);
    if (hashable(rows.select(keys)) && !anyRepeated(rows.select(xxhash64(keys).as(HASH)), count)) {
      return 0;
    }
    return counted(rows, keys);
  }

  /**
   * Whether a value of the single column of {@code hashes} occurs twice, with the values spread
   * over enough tasks that each holds about {@link #KEYS_PER_TASK}; a multiple of the parallelism,
   * so no core idles through a last round. Each task that reads the hashes sends them on in chunks,
   * one per task that checks them ({@link Chunks}): a shuffle of a few large records, where one
   * record per key cost as much as hashing and checking them all.
   */
  static boolean anyRepeated(Dataset<Row> hashes, long count) {
    int cores = Math.max(1, hashes.sparkSession().sparkContext().defaultParallelism());
    long rounds = Math.max(1, (count + cores * KEYS_PER_TASK - 1) / (cores * KEYS_PER_TASK));
    int tasks = (int) Math.min(Integer.MAX_VALUE / 2, rounds * cores);
    long repeats =
        hashes
            .as(Encoders.LONG())
            .javaRDD()
            .mapPartitionsToPair(values -> new Chunks(values, tasks))
            .partitionBy(new ToTask(tasks))
            .values()
            .mapPartitions(UniqueKeys::repeats)
            .reduce(Long::sum);
    return repeats > 0;
  }

  /** One element: 1 if a hash occurs twice among {@code chunks} (seen at the second), else 0. */
  private static Iterator<Long> repeats(Iterator<long[]> chunks) {
    LongSet seen = new LongSet();
    while (chunks.hasNext()) {
      for (long hash : chunks.next()) {
        if (!seen.add(hash)) {
          return List.of(1L).iterator();
        }
      }
    }
    return List.of(0L).iterator();
  }

  /**
   * A task's hashes as chunks keyed by the task that checks them ({@code hash mod tasks}), holding
   * at most {@value #HELD} hashes at a time.
   */
  private static final class Chunks implements Iterator<Tuple2<Integer, long[]>> {
    private static final int HELD = 1 << 20;

    private final Iterator<Long> hashes;
    private final long[][] buffers;
    private final int[] sizes;
    private final Deque<Tuple2<Integer, long[]>> ready = new ArrayDeque<>();

    Chunks(Iterator<Long> hashes, int tasks) {
      this.hashes = hashes;
      this.buffers = new long[tasks][];
      this.sizes = new int[tasks];
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && hashes.hasNext()) {
        fill();
      }
      return !ready.isEmpty();
    }

    @Override
    public Tuple2<Integer, long[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void fill() {
      for (int held = 0; held < HELD && hashes.hasNext(); held++) {
        long hash = hashes.next();
        int task = (int) Math.floorMod(hash, (long) buffers.length);
        if (buffers[task] == null) {
          buffers[task] = new long[64];
        } else if (sizes[task] == buffers[task].length) {
          buffers[task] = Arrays.copyOf(buffers[task], sizes[task] * 2);
        }
        buffers[task][sizes[task]++] = hash;
      }
      for (int task = 0; task < buffers.length; task++) {
        if (sizes[task] > 0) {
          ready.add(new Tuple2<>(task, Arrays.copyOf(buffers[task], sizes[task])));
          sizes[task] = 0;
        }
      }
    }
  }

  /** Sends chunk {@code t} to task {@code t}. */
  private static final class ToTask extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int tasks;

    ToTask(int tasks) {
      this.tasks = tasks;
    }

    @Override
    public int numPartitions() {
      return tasks;
    }

    @Override
    public int getPartition(Object task) {
      return (Integer) task;
    }
  }

  /** The exact count: an aggregation over the key columns only. */
  private static long counted(Dataset<Row> rows, Column[] keys) {
    Row extra =
        rows.groupBy(keys).count().where(col("count").gt(1)).agg(sum(col("count").minus(1))).head();
    return extra.isNullAt(0) ? 0 : extra.getLong(0);
  }

  /** Whether the values of every column of {@code keys} group as equal when their bytes are. */
  private static boolean hashable(Dataset<Row> keys) {
    for (StructField field : keys.schema().fields()) {
      if (!byBytes(field.dataType())) {
        return false;
      }
    }
    return true;
  }

  private static boolean byBytes(DataType type) {
    if (type instanceof StringType string) {
      return string.supportsBinaryEquality();
    }
    return type instanceof IntegralType
        || type instanceof DecimalType
        || type instanceof DateType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType
        || type instanceof BooleanType
        || type instanceof BinaryType;
  }

  /** A column by its name as it is, dots and all. */
  private static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /**
   * A set of longs by open addressing, for hashes that are already well spread; zero, the empty
   * slot, is kept apart.
   */
  static final class LongSet {
    private long[] slots = new long[1 << 12];
    private int size;
    private boolean zero;

    /** Adds {@code value}; false if it was there. */
    boolean add(long value) {
      if (value == 0) {
        boolean had = zero;
        zero = true;
        return !had;
      }
      int mask = slots.length - 1;
      int slot = index(value, mask);
      while (slots[slot] != 0) {
        if (slots[slot] == value) {
          return false;
        }
        slot = (slot + 1) & mask;
      }
      slots[slot] = value;
      if (++size * 2 > slots.length) {
        grow();
      }
      return true;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      int mask = slots.length - 1;
      for (long value : old) {
        if (value != 0) {
          int slot = index(value, mask);
          while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
          }
          slots[slot] = value;
        }
      }
    }

    private static int index(long value, int mask) {
      return (int) (value ^ (value >>> 32)) & mask;
    }
  }
}
