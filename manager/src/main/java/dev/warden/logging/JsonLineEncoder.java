package dev.warden.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line for log shippers: {@code time} (ISO-8601 UTC, milliseconds), {@code level}, {@code logger},
 * {@code thread}, {@code message}, then what the line is about when known ({@code cluster}, {@code operation},
 * {@code server}, {@code finding}) and {@code error} with the stack trace.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(e.getTimeStamp()).toString());
            g.writeStringField("level", e.getLevel().toString());
            g.writeStringField("logger", e.getLoggerName());
            g.writeStringField("thread", e.getThreadName());
            g.writeStringField("message", e.getFormattedMessage());
            Map<String, String> mdc = e.getMDCPropertyMap();
            for (String k : new String[] {"cluster", "operation"}) {
                if (mdc != null && mdc.get(k) != null) {
                    g.writeStringField(k, mdc.get(k));
                }
            }
            if (e.getKeyValuePairs() != null) {
                for (org.slf4j.event.KeyValuePair kv : e.getKeyValuePairs()) {
                    if (kv.value != null) {
                        g.writeStringField(kv.key, kv.value.toString());
                    }
                }
            }
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) {
                g.writeStringField("error", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
