package app.statustracker.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects the formatted log lines of one logger (and its children) from a level up, while open. Quarkus logs
 * through JBoss LogManager, which java.util.logging handlers see.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler;

    private LogCapture(String loggerName, Level from) {
        this.logger = Logger.getLogger(loggerName);
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= from.intValue()) {
                    lines.add(r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
    }

    /** Starts capturing; "" is the root logger (everything). */
    public static LogCapture of(String loggerName, Level from) {
        return new LogCapture(loggerName, from);
    }

    public static LogCapture of(Class<?> loggingClass, Level from) {
        return of(loggingClass.getName(), from);
    }

    /** The lines so far (a live view). */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
