package dev.warden.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {

    final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    final JsonLineEncoder encoder = new JsonLineEncoder();

    LoggingEvent event(String message, Throwable error) {
        LoggingEvent e = new LoggingEvent("dev.warden.X", context.getLogger("dev.warden.engine.ClusterMonitor"),
                Level.WARN, message, error, null);
        e.setTimeStamp(1_764_842_400_123L);
        return e;
    }

    @Test
    void oneObjectPerLineWithWhatTheLineIsAbout() throws Exception {
        encoder.setContext(context);
        encoder.start();
        LoggingEvent e;
        try (LogContext c = LogContext.with("cluster", "main"); LogContext o = LogContext.with("operation", "op-7")) {
            e = event("Cluster main: raised \"ReplicationStopped\"\nsecond line", new IllegalStateException("boom"));
            e.prepareForDeferredProcessing();
        }
        e.setKeyValuePairs(List.of(new KeyValuePair("finding", "ReplicationStopped"),
                new KeyValuePair("server", "127.0.0.1:3307"), new KeyValuePair("none", null)));
        String line = new String(encoder.encode(e), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
        JsonNode j = new ObjectMapper().readTree(line);
        assertThat(j.get("time").asText()).isEqualTo("2025-12-04T10:00:00.123Z");
        assertThat(j.get("level").asText()).isEqualTo("WARN");
        assertThat(j.get("logger").asText()).isEqualTo("dev.warden.engine.ClusterMonitor");
        assertThat(j.get("message").asText()).isEqualTo("Cluster main: raised \"ReplicationStopped\"\nsecond line");
        assertThat(j.get("cluster").asText()).isEqualTo("main");
        assertThat(j.get("operation").asText()).isEqualTo("op-7");
        assertThat(j.get("finding").asText()).isEqualTo("ReplicationStopped");
        assertThat(j.get("server").asText()).isEqualTo("127.0.0.1:3307");
        assertThat(j.has("none")).isFalse();
        assertThat(j.get("error").asText()).contains("IllegalStateException: boom").contains("at dev.warden");
    }

    @Test
    void aLineOutsideAnyClusterHasNoClusterField() throws Exception {
        LoggingEvent e = event("Warden starting", null);
        JsonNode j = new ObjectMapper().readTree(new String(encoder.encode(e), StandardCharsets.UTF_8));
        assertThat(j.has("cluster")).isFalse();
        assertThat(j.has("error")).isFalse();
    }

    @Test
    void closingAContextPutsBackTheOuterOne() {
        try (LogContext outer = LogContext.with("cluster", "a")) {
            try (LogContext inner = LogContext.with("cluster", "b")) {
                assertThat(org.slf4j.MDC.get("cluster")).isEqualTo("b");
            }
            assertThat(org.slf4j.MDC.get("cluster")).isEqualTo("a");
        }
        assertThat(org.slf4j.MDC.get("cluster")).isNull();
    }
}
