package dev.warden.config;

import static dev.warden.config.ConfigLoaderTest.parse;
import static dev.warden.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingConfigTest {

    static final String BASE = KvConfigTest.BASE;

    @Test
    void withoutTheSectionTextAndASummaryEveryFiveMinutes() {
        assertThat(parse(BASE, Map.of()).config().logging()).isEqualTo(LogSettings.DEFAULTS);
        assertThat(LogSettings.DEFAULTS.format()).isEqualTo(LogSettings.Format.TEXT);
        assertThat(LogSettings.DEFAULTS.summaryInterval()).isEqualTo(Duration.ofMinutes(5));
        LogSettings json = parse(BASE + "logging: {format: json, summary_interval: 1m}\n", Map.of()).config()
                .logging();
        assertThat(json).isEqualTo(new LogSettings(LogSettings.Format.JSON, Duration.ofMinutes(1)));
    }

    @Test
    void badValuesSayWhatIsWrongAndWhatToWrite() {
        assertThat(problems(BASE + "logging: {format: xml}\n")).anySatisfy(s ->
                assertThat(s).contains("'xml'").contains("text").contains("json"));
        ConfigLoader.Loaded tooOften = parse(BASE + "logging: {summary_interval: 1s}\n", Map.of());
        assertThat(tooOften.config().logging().summaryInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tooOften.warnings()).extracting(ConfigProblem::toString).anySatisfy(s ->
                assertThat(s).contains("summary_interval").contains("below the minimum; using 10s"));
        assertThat(problems(BASE + "logging: {level: debug}\n")).anySatisfy(s -> assertThat(s).contains("level"));
    }
}
