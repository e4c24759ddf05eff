package io.apexaudition.simulator.domain;

import io.apexaudition.simulator.config.SimulatorConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Consumes {@code apex.simulator.admin.enabled} and the active profiles; produces whether {@code /_sim/*} is
 * open. The admin API can rewrite faults and wipe state, so it never opens under {@code prod}.
 */
@ApplicationScoped
public class AdminGuard {
    private static final Logger LOG = Logger.getLogger(AdminGuard.class);

    public enum Decision { OPEN, CLOSED, REFUSED_IN_PROD }

    private final Decision decision;
    private final List<String> profiles;

    @Inject
    public AdminGuard(SimulatorConfig config) {
        this(config.admin().enabled(), ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getProfiles());
    }

    AdminGuard(boolean enabled, List<String> profiles) {
        this.profiles = List.copyOf(profiles);
        this.decision = decide(enabled, this.profiles);
    }

    public static Decision decide(boolean enabled, List<String> profiles) {
        if (!enabled) {
            return Decision.CLOSED;
        }
        return profiles.contains("prod") ? Decision.REFUSED_IN_PROD : Decision.OPEN;
    }

    public boolean open() {
        return decision == Decision.OPEN;
    }

    public Decision decision() {
        return decision;
    }

    void onStart(@Observes StartupEvent event) {
        switch (decision) {
            case REFUSED_IN_PROD:
                LOG.errorf("apex.simulator.admin.enabled=true was refused: the active profile %s includes 'prod', "
                        + "so /_sim/* stays closed. Run with QUARKUS_PROFILE=local to open it.", profiles);
                break;
            case OPEN:
                LOG.warnf("Admin endpoints /_sim/* are OPEN (profiles %s)", profiles);
                break;
            default:
                LOG.infof("Admin endpoints /_sim/* are closed");
        }
    }
}
