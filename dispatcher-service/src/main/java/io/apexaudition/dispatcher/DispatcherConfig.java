package io.apexaudition.dispatcher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which provider this deployment of the dispatcher serves (one deployment per provider). */
@ConfigMapping(prefix = "apex.dispatcher")
public interface DispatcherConfig {

    /** {@code openai} or {@code anthropic}; from {@code APEX_DISPATCHER_PROVIDER}. */
    @WithDefault("openai")
    String provider();
}
