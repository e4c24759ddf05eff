package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;

/**
 * A batch create that got no clear answer (no answer at all, a timeout, a 5xx): the provider may have created the
 * batch, and billing follows creation. Such a create is never settled as refused nor sent again on this answer
 * alone; only the provider's listing can tell (see {@code LaneDispatcher}).
 */
public class BatchCreateInDoubtException extends ProviderCallException {
    public BatchCreateInDoubtException(int status, String message) {
        super(status, status == -1 || status == 408 ? ErrorKind.TIMEOUT : ErrorKind.SERVER, message);
    }

    /**
     * Whether an answer to a create leaves it in doubt: none at all, a request timeout, a server error, or a 2xx
     * whose body broke off (created, but we cannot read the id).
     */
    public static boolean isUnclear(ProviderResponse answer) {
        return answer.status() == ProviderResponse.NO_ANSWER || answer.status() == ProviderResponse.BROKEN_BODY
                || answer.status() == 408 || answer.status() >= 500;
    }
}
