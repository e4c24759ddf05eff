package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads prompts: their text and shared context, and their titles for the matrix rows. */
@ApplicationScoped
public class PromptRepository implements PanacheRepositoryBase<PromptEntity, PromptKey> {
    /** Ids per query when loading many prompts: keeps each IN list to a size Postgres plans quickly. */
    private static final int CHUNK = 500;

    /** The titles of the given prompts, from their newest version: titles label rows, any version will do. */
    public Map<String, String> titles(List<String> promptIds) {
        Map<String, String> titles = new HashMap<>();
        for (int from = 0; from < promptIds.size(); from += CHUNK) {
            // titles only: a prompt's row also holds its text and shared context (~8 KB), which a title never needs
            for (Object[] r : getEntityManager().createQuery("select p.id, p.title from PromptEntity p"
                    + " where p.id in :ids and p.title is not null order by p.version", Object[].class)
                    .setParameter("ids", promptIds.subList(from, Math.min(promptIds.size(), from + CHUNK)))
                    .getResultList()) {
                titles.put((String) r[0], (String) r[1]);
            }
        }
        return titles;
    }

    /**
     * For each prompt id, the version given (else its newest), loaded in chunks rather than one query per prompt: a
     * run may have thousands. A prompt that was never ingested is left out.
     */
    public Map<String, PromptEntity> versions(Map<String, Integer> wanted) {
        Map<String, PromptEntity> out = new HashMap<>();
        List<String> ids = new ArrayList<>(wanted.keySet());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            for (PromptEntity p : list("id in ?1 order by version", ids.subList(from, Math.min(ids.size(),
                    from + CHUNK)))) {
                PromptEntity kept = out.get(p.id);
                Integer version = wanted.get(p.id);
                // versions come in ascending order: the newest wins, unless the one the run used is kept already
                if (kept == null || version == null || kept.version != version) {
                    out.put(p.id, p);
                }
            }
        }
        return out;
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
