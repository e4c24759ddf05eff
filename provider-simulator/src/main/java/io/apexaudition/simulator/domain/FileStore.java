package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Consumes uploaded batch input files and generated output/error files; produces them by id (OpenAI Files API). */
@ApplicationScoped
public class FileStore {

    /** A file as the Files API describes it; its content is kept {@link Packed}. */
    public record StoredFile(String id, String filename, String purpose, Packed packed, long createdAt) {
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("id", id);
            o.put("object", "file");
            o.put("bytes", packed.size());
            o.put("created_at", createdAt);
            o.put("filename", filename);
            o.put("purpose", purpose);
            return o;
        }

        public byte[] content() {
            return packed.bytes();
        }

        public String text() {
            return packed.text();
        }
    }

    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final Clock clock;

    public FileStore(Clock clock) {
        this.clock = clock;
    }

    public StoredFile put(String filename, String purpose, byte[] content) {
        StoredFile file = new StoredFile(Ids.base62("file-", 22), filename, purpose, Packed.of(content),
                clock.instant().getEpochSecond());
        files.put(file.id(), file);
        return file;
    }

    public Optional<StoredFile> get(String id) {
        return Optional.ofNullable(id == null ? null : files.get(id));
    }

    public void clear() {
        files.clear();
    }
}
