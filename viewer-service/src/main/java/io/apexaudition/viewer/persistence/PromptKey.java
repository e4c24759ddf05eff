package io.apexaudition.viewer.persistence;

import java.io.Serializable;
import java.util.Objects;

/** The primary key of apex_audition.prompts: a prompt id and its version. */
public class PromptKey implements Serializable {
    public String id;
    public int version;

    public PromptKey() {
    }

    public PromptKey(String id, int version) {
        this.id = id;
        this.version = version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptKey k && k.version == version && Objects.equals(k.id, id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version);
    }
}
