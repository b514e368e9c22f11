package dev.idsync.emulator.directory;

import java.util.List;

/**
 * What the generator should create. The same spec and seed always produce the same objects and ids.
 *
 * @param users           number of users
 * @param groups          number of groups; the first four are App-&lt;Tenant&gt;-Admin/User/HR/Accounting
 * @param memberships     number of user-in-group memberships, spread with a realistic skew
 * @param directoryRoles  number of activated directory roles (at most the built-in templates known here)
 * @param disabledRatio   share of users with accountEnabled=false
 * @param seed            random seed
 * @param domains         UPN domains to spread users over; empty for the tenant's domains
 * @param companies       companyName values; empty for a built-in list
 */
public record SeedSpec(int users, int groups, int memberships, int directoryRoles, double disabledRatio, long seed,
                       List<String> domains, List<String> companies) {

    public SeedSpec {
        if (users < 0 || groups < 0 || memberships < 0 || directoryRoles < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (disabledRatio < 0 || disabledRatio > 1) {
            throw new IllegalArgumentException("disabledRatio must be between 0 and 1");
        }
        domains = domains == null ? List.of() : List.copyOf(domains);
        companies = companies == null ? List.of() : List.copyOf(companies);
    }
}
