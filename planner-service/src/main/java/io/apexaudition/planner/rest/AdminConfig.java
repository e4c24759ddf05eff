package io.apexaudition.planner.rest;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The admin token ({@code APEX_ADMIN_TOKEN}); without one the admin endpoints refuse every call. */
@ConfigMapping(prefix = "apex.admin")
public interface AdminConfig {

    Optional<String> token();
}
