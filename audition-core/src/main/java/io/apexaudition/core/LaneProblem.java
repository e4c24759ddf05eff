package io.apexaudition.core;

/** One thing wrong with one lane: which rule, the value that breaks it, and a valid alternative. */
public record LaneProblem(String slug, String rule, String value, String fix) {

    @Override
    public String toString() {
        return slug + ": " + rule + " — " + value + "; fix: " + fix;
    }
}
