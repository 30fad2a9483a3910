package app.statustracker.client;

/**
 * Receives what Shoko's SignalR hub sends ({@link ShokoHub} calls every CDI bean that implements this). Calls are
 * made one at a time, in the order the hub sent the messages, on the hub's own delivery thread
 * ({@code shoko-hub-listeners}): never on a Vert.x event loop, never on the socket's thread. A listener should hand
 * real work on (to the event pipeline, which works from any thread) rather than block: the next message waits for it.
 * Whatever a listener throws is logged and does not affect the connection or the other listeners.
 */
public interface ShokoListener {

    /**
     * One hub message.
     *
     * @param target        the hub method, exactly as sent: {@code ShokoEvent:FileMatched} (Shoko 5),
     *                      {@code file:matched} (Shoko 6); see {@link ShokoHub#TARGETS}
     * @param argumentsJson the message's argument as raw JSON, as the hub wrote it (PascalCase names, ids as sent):
     *                      Shoko sends exactly one argument, which may be an object, a list, or {@code null}; if a
     *                      hub ever sends no or several arguments, the whole {@code arguments} array is given instead
     */
    void onMessage(String target, String argumentsJson);

    /**
     * The hub connection is (again) open. Messages sent while it was down are lost (the hub does not replay them), so
     * after a reconnect the state should be reconciled through Shoko's REST API.
     *
     * @param afterReconnect false for the first connection since start-up, true for every later one
     */
    void onConnected(boolean afterReconnect);
}
