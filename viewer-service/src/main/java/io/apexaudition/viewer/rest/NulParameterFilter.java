package io.apexaudition.viewer.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, before any query runs, a request whose path or query parameter holds a NUL, with a 400 naming the
 * parameter. Postgres cannot hold a NUL in text, so no run, prompt or lane is named with one, and every query that
 * carried it would fail inside the database (SQLState 22021) as a 500; one check here covers every read endpoint,
 * those written later too.
 */
public class NulParameterFilter {

    @ServerRequestFilter(preMatching = false)
    public Optional<Response> refuseNul(ContainerRequestContext request) {
        Optional<Response> refused = firstNul(request.getUriInfo().getPathParameters(), "path");
        return refused.isPresent() ? refused : firstNul(request.getUriInfo().getQueryParameters(), "query");
    }

    private static Optional<Response> firstNul(MultivaluedMap<String, String> parameters, String where) {
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            for (String value : e.getValue()) {
                if (value != null && value.indexOf('\u0000') >= 0) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("error", "the " + where + " parameter '" + e.getKey() + "' holds a NUL character (%00), "
                            + "which no run, prompt, lane or text here can contain: remove it from the URL");
                    body.put("parameter", e.getKey());
                    body.put("value", value.replace("\u0000", "\\u0000"));
                    return Optional.of(Response.status(Response.Status.BAD_REQUEST)
                            .type(MediaType.APPLICATION_JSON).entity(body).build());
                }
            }
        }
        return Optional.empty();
    }
}
