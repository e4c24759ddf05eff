package io.apexaudition.events;

/** Record keys, built in one place so producers and consumers agree on partitioning. */
public final class Keys {
    private Keys() {
    }

    /** Run and lane: a lane's requests and results of one run land in one partition. */
    public static String lane(String runId, String conditionSlug) {
        return runId + "/" + conditionSlug;
    }

    /** Entity and version: compaction keeps every version, so old runs can always be explained. */
    public static String versioned(String id, int version) {
        return id + "/v" + version;
    }

    /** The run id of a {@link #lane} key. */
    public static String runOf(String laneKey) {
        int slash = laneKey.indexOf('/');
        return slash < 0 ? laneKey : laneKey.substring(0, slash);
    }
}
