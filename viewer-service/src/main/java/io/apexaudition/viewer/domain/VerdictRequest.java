package io.apexaudition.viewer.domain;

import java.util.List;

/**
 * A verdict as the page (or any client) sends it to {@code POST /api/runs/{id}/verdicts}. Outputs are named as the
 * reader saw them: by their blind label ("Lane A") or by their generation id.
 *
 * @param verdictId a UUID the page makes once per verdict, so the same verdict sent twice counts once
 * @param promptId  the prompt whose outputs were judged
 * @param kind      {@code pairwise} (the better of {@code a} and {@code b}, or a tie) or {@code ranking}
 * @param a         pairwise: the output shown as A
 * @param b         pairwise: the output shown as B
 * @param winner    pairwise: {@code A}, {@code B} or {@code TIE}
 * @param ranking   ranking: every completed output of the prompt, best first
 * @param reader    who cast it (a name; optional)
 * @param blind     whether the lanes were hidden (absent: not blind)
 * @param shown     how many outputs the page showed; when given and no longer right, the labels may have moved and
 *                  the verdict is refused (409) rather than recorded against other outputs
 */
public record VerdictRequest(String verdictId, String promptId, String kind, String a, String b, String winner,
        List<String> ranking, String reader, Boolean blind, Integer shown) {
}
