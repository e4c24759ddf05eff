package io.apexaudition.simulator.rest;

import io.apexaudition.simulator.domain.Refusal;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Consumes a domain {@link Refusal}; produces the refusing provider's error response. */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response map(Refusal refusal) {
        return ProviderResponses.refusal(refusal.provider(), refusal.violation());
    }
}
