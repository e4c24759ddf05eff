package io.apexaudition.events;

/** Why a generation ended in error; decides whether {@code apex retry} may resubmit it. */
public enum ErrorKind {
    INVALID_REQUEST(false),
    AUTHENTICATION(false),
    RATE_LIMIT(true),
    SERVER(true),
    TIMEOUT(true),
    EXPIRED(true),
    CANCELED(true),
    BATCH_FAILED_VALIDATION(false),
    VERIFY_FAILED(false),
    /**
     * The verify-first call was not conclusive (its dispatcher crashed during it, or it failed in a way a retry may
     * fix), so the lane's batch was not sent: `apex retry` sends these generations.
     */
    VERIFY_INCONCLUSIVE(true),
    /** A synchronous call was under way when its dispatcher crashed: never re-sent blindly; `apex retry` may. */
    UNKNOWN_OUTCOME(true),
    /**
     * A judge answered, but not in the form its rubric asks for (the recorder could not read a verdict or every
     * score from it): the raw answer is kept, and `apex retry` asks the judge again.
     */
    UNPARSEABLE_JUDGMENT(true),
    /**
     * The dispatcher could not send the request at all (no room in its temporary directory for the batch file):
     * nothing reached the provider and nothing was paid; once the cause is fixed, `apex retry` sends it.
     */
    NOT_SENT(true);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
