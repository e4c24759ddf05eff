package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads prompts: their text and shared context, and their titles for the matrix rows. */
@ApplicationScoped
public class PromptRepository implements PanacheRepositoryBase<PromptEntity, PromptKey> {

    /** The titles of the given prompts, from their newest version: titles label rows, any version will do. */
    public Map<String, String> titles(List<String> promptIds) {
        Map<String, String> titles = new HashMap<>();
        if (promptIds.isEmpty()) {
            return titles;
        }
        for (PromptEntity p : list("id in ?1 order by version", promptIds)) {
            if (p.title != null) {
                titles.put(p.id, p.title);
            }
        }
        return titles;
    }

    /** The given version of a prompt, else its newest (a generation recorded before its prompt names none). */
    public Optional<PromptEntity> version(String promptId, Integer version) {
        if (version != null) {
            Optional<PromptEntity> exact = findByIdOptional(new PromptKey(promptId, version));
            if (exact.isPresent()) {
                return exact;
            }
        }
        return find("id = ?1 order by version desc", promptId).firstResultOptional();
    }
}
