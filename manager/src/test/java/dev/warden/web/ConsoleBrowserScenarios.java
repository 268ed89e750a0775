package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sandbox.Sandbox;
import dev.warden.testing.Browser;
import dev.warden.testing.FaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.junit.jupiter.api.Test;

/**
 * The console in headless Chromium against a daemon watching a real sandbox: log in, see the topology, run a
 * switchover from the button with its typed confirmation and watch the new primary appear; a viewer gets no
 * buttons and forged changes are refused; a lost stream says so and comes back.
 */
abstract class ConsoleBrowserScenarios {

    static final Duration WAIT = Duration.ofSeconds(30);

    abstract Sandbox sandbox();

    static void logIn(Browser b, String base, String user, String password) {
        b.driver.get(base + "/");
        b.await("the login page", WAIT, ExpectedConditions.presenceOfElementLocated(By.id("login")));
        b.find("#user").sendKeys(user);
        b.find("#password").sendKeys(password);
        b.click("#submit");
        b.await("the cluster list", WAIT, ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#cluster-list [data-cluster='sandbox']")));
    }

    /** Read in one script: the topology is redrawn every cycle, so element handles go stale. */
    static String primary(Browser b) {
        return (String) ((JavascriptExecutor) b.driver).executeScript(
                "const e = document.querySelector(\"#topology [data-role='primary']\"); return e ? e.dataset.server : null;");
    }

    @Test
    void anOperatorSwitchesOverFromTheButton_andSeesTheNewPrimary() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(sandbox(), ""); Browser b = Browser.start()) {
            logIn(b, h.base(), ConsoleHarness.OPERATOR, ConsoleHarness.OPERATOR_PASSWORD);
            assertThat(b.find("#who").getText()).isEqualTo("otto (operator)");
            b.click("#cluster-list [data-cluster='sandbox']");
            b.await("the topology", WAIT, ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#topology [data-role='primary']")));
            String before = primary(b);
            assertThat(before).isEqualTo(sandbox().primary().key().toString());
            assertThat(count(b, "#topology [data-server]")).isEqualTo(3);
            assertThat(count(b, "#topology ul [data-role='replica']")).as("replicas drawn under their primary")
                    .isEqualTo(2);
            b.await("the failover plan", WAIT, ExpectedConditions.presenceOfElementLocated(By.id("plan-candidate")));

            b.click("#switchover");
            b.click("#switchover-plan");
            b.await("the switchover plan", WAIT, ExpectedConditions.presenceOfElementLocated(By.id("dialog-plan")));
            WebElement name = b.find("#confirm-name");
            WebElement run = b.find("#confirm-run");
            name.sendKeys("sandbo");
            assertThat(run.isEnabled()).as("armed only by the exact cluster name").isFalse();
            name.sendKeys("X");
            assertThat(run.isEnabled()).as("case matters").isFalse();
            name.clear();
            name.sendKeys("sandbox");
            assertThat(run.isEnabled()).isTrue();
            run.click();
            b.await("the switchover's result", Duration.ofSeconds(60), ExpectedConditions.presenceOfElementLocated(
                    By.id("dialog-result")));
            assertThat(b.find("#result-outcome").getText()).isEqualTo("succeeded");
            assertThat(b.find("#write-pause").getText()).matches("\\d+ ms");
            b.click("#dialog-close");
            String after = b.await("a new primary in the topology", WAIT, d -> {
                String p = primary(b);
                return p == null || p.equals(before) ? null : p;
            });
            assertThat(after).isNotEqualTo(before);
            b.await("the switchover in the history", WAIT, ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("table.ops"), "switchover"));
            Path shot = Path.of("target", "console.png");
            b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1350));
            b.await("the history laid out", WAIT, ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.op-row")));
            b.screenshot(shot);
            if (Boolean.getBoolean("warden.update.screenshot")) {
                Files.copy(shot, Path.of(System.getProperty("warden.repo.root"), "docs", "console.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Observe mode: the badge, and "would have failed over" next to what happened, as the operator sees them. */
    @Test
    void inObserveModeTheConsoleShowsWhatWardenWouldHaveDoneNextToWhatHappened() throws Exception {
        Sandbox sb = sandbox();
        try (ConsoleHarness h = new ConsoleHarness(sb, "", "failover:\n  mode: observe\n");
             Browser b = Browser.start()) {
            logIn(b, h.base(), ConsoleHarness.VIEWER, ConsoleHarness.VIEWER_PASSWORD);
            b.click("#cluster-list [data-cluster='sandbox']");
            b.await("the observe-mode badge", WAIT, ExpectedConditions.presenceOfElementLocated(By.id("observe-mode")));
            assertThat(b.find("#observed-section").isDisplayed()).isTrue();
            assertThat(b.find("#observed").getText()).contains("Nothing to record yet");
            dev.warden.sandbox.SandboxInstance old = sb.primary();
            sb.kill(old);
            b.await("a would-have-failed-over entry", WAIT, ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#observed li[data-kind='would_fail_over']")));
            String would = b.find("#observed li[data-kind='would_fail_over']").getText();
            assertThat(would).contains("would have failed over").contains(old.key().toString());
            dev.warden.sandbox.SandboxInstance to = sb.replicas().stream().filter(r -> would.contains("to "
                    + r.key())).findFirst().orElseThrow(() -> new AssertionError("no replica named in: " + would));
            // Another manager promotes it: the console shows what happened next to Warden's verdict.
            dev.warden.testing.RootSql.exec(sb, to, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = OFF");
            if (sb.flavor().flavor() == dev.warden.model.Flavor.MYSQL) {
                dev.warden.testing.RootSql.exec(sb, to, "SET GLOBAL super_read_only = OFF",
                        "SET GLOBAL read_only = OFF");
            }
            for (dev.warden.sandbox.SandboxInstance r : sb.replicas()) {
                if (!r.equals(to)) {
                    dev.warden.testing.ReplicaSql.change(sb, r, "PORT = " + to.port());
                }
            }
            b.await("what happened, in the list", WAIT, ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#observed li[data-kind='primary_moved']")));
            assertThat(b.find("#observed li[data-kind='primary_moved']").getText()).contains("what happened")
                    .contains(to.key().toString());
            assertThat(h.monitor.cluster("sandbox").orElseThrow().operations()).as("nothing run").isEmpty();
        }
    }

    @Test
    void aViewerGetsNoButtons_andForgedChangesAreRefused() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(sandbox(), ""); Browser b = Browser.start()) {
            logIn(b, h.base(), ConsoleHarness.VIEWER, ConsoleHarness.VIEWER_PASSWORD);
            b.driver.get(h.base() + "/#/clusters/sandbox");
            b.await("the topology", WAIT, ExpectedConditions.presenceOfElementLocated(By.id("topology")));
            assertThat(b.present("#switchover")).isFalse();
            assertThat(b.present("#maintenance")).isFalse();
            assertThat(b.present("#failover")).isFalse();
            // Even with the page's own CSRF token, a viewer's session cannot change anything.
            assertThat(fetch(b, "/api/clusters/sandbox/maintenance", true, "application/json"))
                    .containsEntry("status", 403L);

            b.click("#logout");
            logIn(b, h.base(), ConsoleHarness.OPERATOR, ConsoleHarness.OPERATOR_PASSWORD);
            b.driver.get(h.base() + "/#/clusters/sandbox");
            b.await("the operator's buttons", WAIT, ExpectedConditions.presenceOfElementLocated(By.id("maintenance")));
            // What another site could send with the operator's cookie: no CSRF header, or a plain form.
            assertThat(fetch(b, "/api/clusters/sandbox/maintenance", false, "application/json"))
                    .containsEntry("status", 403L);
            assertThat(fetch(b, "/api/clusters/sandbox/maintenance", false, "application/x-www-form-urlencoded"))
                    .containsEntry("status", 415L);
            assertThat(h.monitor.cluster("sandbox").orElseThrow().controls().maintenance()).isFalse();
            b.click("#maintenance");
            b.await("maintenance on", WAIT, ExpectedConditions.textToBePresentInElementLocated(
                    By.id("maintenance-state"), "maintenance on"));
            assertThat(h.monitor.cluster("sandbox").orElseThrow().controls().maintenance()).isTrue();
            b.click("#maintenance");
            b.await("maintenance off", WAIT, ExpectedConditions.textToBePresentInElementLocated(
                    By.id("maintenance-state"), "maintenance off"));
        }
    }

    static long count(Browser b, String css) {
        return (Long) ((JavascriptExecutor) b.driver).executeScript(
                "return document.querySelectorAll(arguments[0]).length;", css);
    }

    /** A POST from the page's own script: with or without the session's CSRF token; returns {status, body}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fetch(Browser b, String path, boolean withCsrf, String contentType) {
        String script = "const done = arguments[arguments.length - 1];"
                + "(async () => {"
                + "  const s = await (await fetch('/api/session')).json();"
                + "  const headers = {'Content-Type': '" + contentType + "'};"
                + (withCsrf ? "  headers['X-CSRF-Token'] = s.csrf;" : "")
                + "  const body = '" + contentType + "' === 'application/json' ? '{\"enabled\": true}' : 'enabled=true';"
                + "  const r = await fetch('" + path + "', {method: 'POST', headers, body});"
                + "  done({status: r.status, body: await r.text()});"
                + "})().catch(e => done({status: -1, body: String(e)}));";
        return (Map<String, Object>) ((JavascriptExecutor) b.driver).executeAsyncScript(script);
    }

    @Test
    void aLostStreamSaysSoAndComesBack() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(sandbox(), "");
             FaultProxy proxy = new FaultProxy(dev.warden.sandbox.Ports.freeBlock(1), h.web.port());
             Browser b = Browser.start()) {
            String base = "http://127.0.0.1:" + proxy.port();
            logIn(b, base, ConsoleHarness.VIEWER, ConsoleHarness.VIEWER_PASSWORD);
            b.await("the stream live", WAIT, ExpectedConditions.textToBe(By.id("stream-state"), "live"));
            proxy.refuse();
            b.await("the stream reported lost", WAIT, ExpectedConditions.textToBePresentInElementLocated(
                    By.id("stream-state"), "reconnecting"));
            assertThat(b.find("#banner").isDisplayed()).isTrue();
            proxy.heal();
            b.await("the stream back", WAIT, d -> {
                String s = b.find("#stream-state").getText();
                return s.equals("reconnected") || s.equals("live") ? s : null;
            });
            assertThat(b.find("#banner").isDisplayed()).isFalse();
            String summary = b.find(".cluster-card .summary").getText();
            assertThat(List.of(summary)).isNotEmpty();
        }
    }
}
