package io.apexaudition.planner.messaging;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Bounds the off-heap memory of all the planner's RocksDB stores together (Kafka Streams' "bounded memory"
 * recipe). By default each of the ~40 store instances (7 stores x 6 partitions, plus the global catalogue) gets
 * its own 50 MB block cache and up to three 16 MB memtables, so the planner's resident size grew with the number
 * of partitions rather than with its data: 585 MB for a 100,000-generation run with a 256 MB heap. Here every
 * store shares one cache, and memtables are charged against it.
 */
public class BoundedRocksDbConfig implements RocksDBConfigSetter {
    /** Block cache, index and filter blocks and memtables of every store, together. */
    static final long TOTAL_OFF_HEAP_BYTES = 16L * 1024 * 1024;
    static final long TOTAL_MEMTABLE_BYTES = 4L * 1024 * 1024;
    private static final long MEMTABLE_BYTES = 1024L * 1024;

    // shared by every store of the process, so never closed per store
    private static final Cache CACHE = new LRUCache(TOTAL_OFF_HEAP_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(TOTAL_MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager belong to every store: they live as long as the process
    }
}
