package dev.warden.decision;

import dev.warden.plan.Plan;

/** What to do about a finding: act on a plan, skip (with why), or wait for more evidence (with why). */
public sealed interface Decision {

    String sentence();

    record Act(Plan plan) implements Decision {
        @Override
        public String sentence() {
            return plan.summary();
        }
    }

    record Skip(String reason) implements Decision {
        @Override
        public String sentence() {
            return "no action: " + reason;
        }
    }

    record Wait(String reason) implements Decision {
        @Override
        public String sentence() {
            return "waiting: " + reason;
        }
    }
}
