package dev.warden.engine;

import dev.warden.actions.Operation;
import dev.warden.plan.Plan;
import java.util.List;

/** What came of a request for an operation (switchover, failover): refused, busy, planned only, or run. */
public sealed interface RequestResult {

    /** Refused by a precheck; nothing changed. */
    record Refused(List<String> reasons) implements RequestResult {
    }

    /** Another operation holds the cluster's lock. */
    record Busy(String reason) implements RequestResult {
    }

    /** A dry run: the plan that would run. */
    record Planned(Plan plan) implements RequestResult {
    }

    record Ran(Operation operation) implements RequestResult {
    }
}
