package dev.warden.hooks;

import dev.warden.config.HookConfig;
import dev.warden.model.HookEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hooks configured for an event, all at once, each with its timeout and bounded retries (backoff
 * doubling). Returns every outcome; a gate hook's failure on a pre_ event is for the caller to act on.
 */
public final class HookRunner {

    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);

    private final List<HookConfig> hooks;
    private final ExecutorService pool;

    public HookRunner(List<HookConfig> hooks, ExecutorService pool) {
        this.hooks = List.copyOf(hooks);
        this.pool = pool;
    }

    public boolean any(HookEvent event, String cluster) {
        return hooks.stream().anyMatch(h -> h.appliesTo(event.configName(), cluster));
    }

    public List<HookOutcome> run(HookPayload payload) {
        List<CompletableFuture<HookOutcome>> running = new ArrayList<>();
        for (HookConfig h : hooks) {
            if (h.appliesTo(payload.event().configName(), payload.cluster())) {
                running.add(CompletableFuture.supplyAsync(() -> runOne(h, payload), pool));
            }
        }
        List<HookOutcome> out = running.stream().map(CompletableFuture::join).toList();
        for (HookOutcome o : out) {
            if (o.ok()) {
                log.info("Hook {}", o);
            } else {
                log.warn("Hook {}", o);
            }
        }
        return out;
    }

    private static HookOutcome runOne(HookConfig h, HookPayload p) {
        long t0 = System.nanoTime();
        boolean gate = h.hookClass() == HookConfig.HookClass.GATE && p.event().gates();
        String last = null;
        HookOutcome.Status status = HookOutcome.Status.FAILED;
        int attempts = 0;
        Duration backoff = h.backoff();
        for (int i = 0; i <= h.retries(); i++) {
            attempts++;
            try {
                last = h.type() == HookConfig.Type.HTTP ? HttpHook.attempt(h, p) : CommandHook.attempt(h, p);
                if (last == null) {
                    return new HookOutcome(h.name(), p.event().configName(), HookOutcome.Status.OK, attempts,
                            Duration.ofNanos(System.nanoTime() - t0), "", gate);
                }
                status = HookOutcome.Status.FAILED;
            } catch (TimeoutException | java.net.http.HttpTimeoutException e) {
                status = HookOutcome.Status.TIMED_OUT;
                last = "no answer within " + h.timeout().toMillis() + " ms" + (e instanceof TimeoutException
                        ? " (killed)" : "");
            } catch (java.io.IOException e) {
                status = HookOutcome.Status.FAILED;
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = "interrupted";
                break;
            }
            if (i < h.retries()) {
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = backoff.multipliedBy(2);
            }
        }
        return new HookOutcome(h.name(), p.event().configName(), status, attempts,
                Duration.ofNanos(System.nanoTime() - t0), last, gate);
    }
}
