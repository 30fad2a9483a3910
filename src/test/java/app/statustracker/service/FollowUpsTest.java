package app.statustracker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import app.statustracker.MediaType;
import app.statustracker.ingest.DomainEvent.FollowUp;
import io.smallrye.mutiny.Uni;

/**
 * When questions to other services are asked again, and when not. The asking itself is replaced by answers the test
 * gives by hand, so the order of events is exact (in the flow tests it depends on timing).
 */
class FollowUpsTest {

    /** FollowUps whose questions stay open until the test answers them. */
    static final class Scripted extends FollowUps {
        final List<FollowUpJob> asked = new ArrayList<>();
        final List<CompletableFuture<String>> answers = new ArrayList<>();
        boolean sonarr = true;

        Scripted() {
            super(null, null, null, null, null, null);
        }

        @Override
        synchronized Uni<String> run(FollowUpJob job) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            asked.add(job);
            answers.add(answer);
            return Uni.createFrom().completionStage(answer);
        }

        @Override
        boolean sonarrConfigured() {
            return sonarr;
        }

        void answer(int i, String outcome) {
            answers.get(i).complete(outcome);
        }
    }

    private static FollowUpJob episodes(long requestId, Long sonarrId) {
        return new FollowUpJob(FollowUp.EXPECTED_EPISODES, requestId, MediaType.TV, 154494L, 414057L, null,
                "Lycoris Recoil", 2022, sonarrId, "[1]", 7L, false, null, null);
    }

    @Test
    void aQuestionRaisedWhileTheSameOneIsAskedRunsAfterItInsteadOfBeingDropped() {
        Scripted f = new Scripted();
        f.start(List.of(episodes(1, null)));  // the request was created: Sonarr does not know the series yet
        f.start(List.of(episodes(1, 23L)));   // SeriesAdd, a moment later, names the series
        f.start(List.of(episodes(1, 23L)));   // and once more: only the newest waits, once
        assertEquals(1, f.asked.size(), "one question at a time");

        f.answer(0, "no source for the expected episodes");
        assertEquals(2, f.asked.size(), "the waiting question is asked when the first is done");
        assertEquals(23L, f.asked.get(1).sonarrId(), "with what the newer event knew");

        f.answer(1, "posted to sonarr: applied");
        f.start(List.of(episodes(1, 23L)));
        assertEquals(2, f.asked.size(), "Sonarr's list, once posted, is not asked for again at every grab");
        f.start(List.of(episodes(2, 23L)));
        assertEquals(3, f.asked.size(), "another request asks its own question");
    }

    @Test
    void aFailedQuestionIsAskedAgainByTheNextEvent() {
        Scripted f = new Scripted();
        f.start(List.of(episodes(1, 23L)));
        f.answers.get(0).completeExceptionally(new IllegalStateException("Sonarr: connection refused"));
        f.start(List.of(episodes(1, 23L)));
        assertEquals(2, f.asked.size());
    }

    @Test
    void jellyseerrsCountDoesNotStopSonarrBeingAskedLaterUnlessThereIsNoSonarr() {
        Scripted f = new Scripted();
        f.start(List.of(episodes(1, null)));
        f.answer(0, "posted to jellyseerr: applied");
        f.start(List.of(episodes(1, 23L)));
        assertEquals(2, f.asked.size(), "Sonarr's list (air dates, monitored) is still worth asking for");

        Scripted withoutSonarr = new Scripted();
        withoutSonarr.sonarr = false;
        withoutSonarr.start(List.of(episodes(1, null)));
        withoutSonarr.answer(0, "posted to jellyseerr: applied");
        withoutSonarr.start(List.of(episodes(1, null)));
        assertEquals(1, withoutSonarr.asked.size(), "without Sonarr, Jellyseerr's count is the answer for a while");
    }

    @Test
    void whetherSomethingIsPlayableIsAskedAgainEachTime() {
        Scripted f = new Scripted();
        FollowUpJob verify = new FollowUpJob(FollowUp.VERIFY_IN_JELLYFIN, 5, MediaType.MOVIE, 129L, null, null,
                "Paprika", 2006, null, null, 9L, false, null, null);
        f.start(List.of(verify));
        f.answer(0, "no playable movie yet");
        f.start(List.of(verify));
        assertEquals(2, f.asked.size());
    }
}
