package dev.idsync.emulator.directory;

/** What a seed run actually created (memberships can fall short when groups cannot hold more users). */
public record SeedResult(int users, int disabledUsers, int groups, int memberships, int directoryRoles,
                         int roleMemberships, long lastSequence, long millis) {
}
