package dev.warden.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.warden.config.LogSettings;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Switches the daemon's log lines to the format warden.yaml asks for ({@code logging.format}). */
public final class LogFormat {

    private LogFormat() {
    }

    /**
     * With {@code json}, every console appender of the root logger writes {@link JsonLineEncoder} lines from now on;
     * text keeps logback.xml's pattern. Nothing happens when logging is not logback (then its own configuration
     * rules).
     */
    public static void apply(LogSettings settings) {
        if (settings.format() != LogSettings.Format.JSON
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> a) {
                JsonLineEncoder json = new JsonLineEncoder();
                json.setContext(context);
                json.start();
                a.stop();
                a.setEncoder(json);
                a.start();
            }
        }
    }
}
