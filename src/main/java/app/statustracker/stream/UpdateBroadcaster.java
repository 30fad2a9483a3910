package app.statustracker.stream;

import java.util.List;

import app.statustracker.StreamEvent;

/** Receives the SSE updates of a transaction once it has committed, in id order. */
public interface UpdateBroadcaster {

    void publish(List<StreamEvent> committed);
}
