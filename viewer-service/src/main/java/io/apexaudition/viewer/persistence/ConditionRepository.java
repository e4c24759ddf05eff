package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Reads registered lane versions: their exact parameters, shown on hover. */
@ApplicationScoped
public class ConditionRepository implements PanacheRepositoryBase<ConditionEntity, String> {

    /** The given conditions by id; unknown ids are left out. */
    public Map<String, ConditionEntity> byId(Collection<String> ids) {
        Map<String, ConditionEntity> out = new HashMap<>();
        if (!ids.isEmpty()) {
            for (ConditionEntity c : list("id in ?1", ids)) {
                out.put(c.id, c);
            }
        }
        return out;
    }
}
