package dev.idsync.emulator.delta;

import java.util.List;

/** The changes of one follow-up round, fixed when the round starts so its pages are stable. */
record ChangePlan(long fromSeq, long toSeq, List<PlannedChange> changes) {
}
