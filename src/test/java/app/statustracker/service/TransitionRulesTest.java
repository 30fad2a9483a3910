package app.statustracker.service;

import static app.statustracker.RequestState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import app.statustracker.RequestState;
import app.statustracker.ingest.Target;
import app.statustracker.service.TransitionRules.Decision;
import app.statustracker.service.TransitionRules.Verdict;

class TransitionRulesTest {

    private static Decision decide(RequestState current, RequestState stage, Target target) {
        return TransitionRules.decide(current, stage, target);
    }

    @Test
    void progressOnlyMovesForwardAndMaySkipLostStages() {
        assertEquals(Verdict.MOVE, decide(REQUESTED, null, Target.progress(APPROVED, true)).verdict());
        // The import webhook beat qBittorrent: downloading straight to importing.
        Decision skip = decide(DOWNLOADING, null, Target.progress(IMPORTING, false));
        assertEquals(Verdict.MOVE, skip.verdict());
        assertEquals(IMPORTING, skip.state());
        assertEquals(Verdict.STALE, decide(APPROVED, null, Target.progress(REQUESTED, true)).verdict());
        assertEquals(Verdict.SAME, decide(APPROVED, null, Target.progress(APPROVED, true)).verdict());
    }

    @Test
    void problemsRememberTheirStageAndAreLiftedBySameOrLaterProof() {
        Decision failed = decide(GRABBING, null, Target.problem(FAILED));
        assertEquals(Verdict.MOVE, failed.verdict());
        assertEquals(FAILED, failed.state());
        assertEquals(GRABBING, failed.problemStage());

        assertEquals(Verdict.MOVE, decide(FAILED, GRABBING, Target.progress(GRABBING, false)).verdict());
        Decision lifted = decide(TIMEOUT, DOWNLOADING, Target.progress(IMPORTING, false));
        assertEquals(IMPORTING, lifted.state());
        assertEquals(null, lifted.problemStage());
        assertEquals(Verdict.STALE, decide(FAILED, GRABBING, Target.progress(APPROVED, true)).verdict());
        // A problem replacing another keeps the original stage.
        Decision timeout = decide(FAILED, DOWNLOADING, Target.problem(TIMEOUT));
        assertEquals(DOWNLOADING, timeout.problemStage());
        assertEquals(Verdict.SAME, decide(FAILED, DOWNLOADING, Target.problem(FAILED)).verdict());
    }

    @Test
    void availableIsClosedToProgressAndProblemsButTakesNotes() {
        assertEquals(Verdict.STALE, decide(AVAILABLE, null, Target.progress(IMPORTING, false)).verdict());
        assertEquals(Verdict.STALE, decide(AVAILABLE, null, Target.problem(FAILED)).verdict());
        assertEquals(Verdict.NOTE, decide(AVAILABLE, null, Target.note()).verdict());
    }
}
