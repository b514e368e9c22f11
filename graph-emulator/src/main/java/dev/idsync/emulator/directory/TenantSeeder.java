package dev.idsync.emulator.directory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Fills a tenant from a {@link SeedSpec}: realistic names, offices, companies, disabled accounts, several
 * domains, the App-&lt;Tenant&gt;-* role groups and skewed group sizes (a few big groups, many small ones),
 * as real tenants look. Deterministic: ids and values depend only on the spec.
 */
public final class TenantSeeder {

    /** Fixed base so seeded createdDateTime values do not depend on when the seed ran. */
    private static final Instant CREATED_BASE = Instant.parse("2021-01-04T08:00:00Z");
    private static final String[] APP_ROLE_SUFFIXES = {"Admin", "User", "HR", "Accounting"};

    public SeedResult seed(Tenant tenant, SeedSpec spec) {
        long started = System.nanoTime();
        return tenant.withWriteLock(() -> {
            Random random = new Random(spec.seed());
            List<String> domains = spec.domains().isEmpty() ? tenant.domains() : spec.domains();
            List<String> companies = spec.companies().isEmpty() ? NamePools.COMPANIES : spec.companies();
            int[] userOrdinals = new int[spec.users()];
            int disabled = 0;
            Set<String> nicknames = new HashSet<>();
            ObjectSchema users = ObjectSchema.of(ObjectKind.USER);
            for (int i = 0; i < spec.users(); i++) {
                Object[] values = userValues(users, random, i, domains, companies, spec.disabledRatio(), nicknames);
                if (Boolean.FALSE.equals(values[users.require("accountEnabled").index()])) {
                    disabled++;
                }
                DirectoryObject user = tenant.insertSeeded(ObjectKind.USER, uuid(random), values, null);
                userOrdinals[i] = user.ordinal();
            }

            int[] sizes = groupSizes(spec.groups(), spec.users(), spec.memberships());
            ObjectSchema groups = ObjectSchema.of(ObjectKind.GROUP);
            String tenantWord = tenantWord(tenant);
            BitSet picked = new BitSet(spec.users());
            int memberships = 0;
            List<DirectoryObject> appGroups = new ArrayList<>();
            for (int g = 0; g < spec.groups(); g++) {
                Object[] values = groupValues(groups, random, g, tenantWord, domains.get(0));
                SortedIntSet members = sampleMembers(random, userOrdinals, sizes[g], picked);
                memberships += members.size();
                DirectoryObject group = tenant.insertSeeded(ObjectKind.GROUP, uuid(random), values, members);
                if (g < APP_ROLE_SUFFIXES.length) {
                    appGroups.add(group);
                }
            }

            ObjectSchema roles = ObjectSchema.of(ObjectKind.DIRECTORY_ROLE);
            int roleCount = Math.min(spec.directoryRoles(), NamePools.ROLE_TEMPLATES.size());
            int roleMemberships = 0;
            for (int r = 0; r < roleCount; r++) {
                String[] template = NamePools.ROLE_TEMPLATES.get(r);
                Object[] values = new Object[roles.size()];
                values[roles.require("displayName").index()] = template[0];
                values[roles.require("roleTemplateId").index()] = template[1];
                values[roles.require("description").index()] = template[2];
                // The Global Administrators are the members of App-<Tenant>-Admin, so the demo is coherent.
                SortedIntSet members = (r == 0 && !appGroups.isEmpty())
                        ? SortedIntSet.fromUnsorted(appGroups.get(0).members().toArray(), appGroups.get(0).members().size())
                        : sampleMembers(random, userOrdinals, Math.min(spec.users(), 1 + random.nextInt(4)), picked);
                roleMemberships += members.size();
                tenant.insertSeeded(ObjectKind.DIRECTORY_ROLE, uuid(random), values, members);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new SeedResult(spec.users(), disabled, spec.groups(), memberships, roleCount, roleMemberships,
                    tenant.lastSequence(), millis);
        });
    }

    private static Object[] userValues(ObjectSchema schema, Random random, int index, List<String> domains,
                                       List<String> companies, double disabledRatio, Set<String> nicknames) {
        Object[] v = new Object[schema.size()];
        String given = pick(random, NamePools.GIVEN_NAMES);
        String surname = pick(random, NamePools.SURNAMES);
        String[] office = pick(random, NamePools.OFFICES);
        String nickname = asciiNickname(given + "." + surname);
        if (!nicknames.add(nickname)) {
            nickname = nickname + (index + 1);
            nicknames.add(nickname);
        }
        // The first domain carries most users; the others are subsidiaries.
        String domain = domains.get(random.nextInt(100) < 70 ? 0 : random.nextInt(domains.size()));
        String upn = nickname + "@" + domain;
        set(v, schema, "accountEnabled", random.nextDouble() >= disabledRatio);
        set(v, schema, "businessPhones", List.of(office[4] + " " + (1000000 + random.nextInt(8999999))));
        set(v, schema, "city", office[0]);
        set(v, schema, "companyName", pick(random, companies));
        set(v, schema, "country", office[1]);
        set(v, schema, "createdDateTime",
                CREATED_BASE.plus(random.nextInt(1400), ChronoUnit.DAYS).plusSeconds(random.nextInt(86400)).toString());
        set(v, schema, "department", pick(random, NamePools.DEPARTMENTS));
        set(v, schema, "displayName", given + " " + surname);
        set(v, schema, "employeeId", String.valueOf(100000 + index));
        set(v, schema, "employeeType", random.nextInt(10) == 0 ? "Contractor" : "Employee");
        set(v, schema, "givenName", given);
        set(v, schema, "jobTitle", pick(random, NamePools.JOB_TITLES));
        set(v, schema, "mail", upn);
        set(v, schema, "mailNickname", nickname);
        if (random.nextInt(3) > 0) {
            set(v, schema, "mobilePhone", office[4] + " 17" + (10000000 + random.nextInt(89999999)));
        }
        set(v, schema, "officeLocation", office[0] + " " + (1 + random.nextInt(5)) + "." + (10 + random.nextInt(40)));
        set(v, schema, "onPremisesSyncEnabled", null);
        set(v, schema, "postalCode", office[3]);
        set(v, schema, "preferredLanguage", office[2].equals("DE") || office[2].equals("AT") || office[2].equals("CH")
                ? "de-DE" : "en-US");
        set(v, schema, "proxyAddresses", List.of("SMTP:" + upn));
        set(v, schema, "surname", surname);
        set(v, schema, "usageLocation", office[2]);
        set(v, schema, "userPrincipalName", upn);
        set(v, schema, "userType", "Member");
        return v;
    }

    private static Object[] groupValues(ObjectSchema schema, Random random, int index, String tenantWord,
                                        String domain) {
        Object[] v = new Object[schema.size()];
        String name;
        boolean unified;
        if (index < APP_ROLE_SUFFIXES.length) {
            name = "App-" + tenantWord + "-" + APP_ROLE_SUFFIXES[index];
            unified = false;
        } else if (index < APP_ROLE_SUFFIXES.length + NamePools.DEPARTMENTS.size()) {
            name = "Dept-" + NamePools.DEPARTMENTS.get(index - APP_ROLE_SUFFIXES.length).replace(' ', '-');
            unified = false;
        } else {
            unified = random.nextInt(3) == 0;
            name = (unified ? "Projekt " : "Team ") + pick(random, NamePools.TEAM_WORDS) + " " + index;
        }
        String nickname = asciiNickname(name.replace(' ', '-'));
        set(v, schema, "createdDateTime",
                CREATED_BASE.plus(random.nextInt(1400), ChronoUnit.DAYS).toString());
        set(v, schema, "description", unified ? "Microsoft 365 group " + name : "Security group " + name);
        set(v, schema, "displayName", name);
        set(v, schema, "groupTypes", unified ? List.of("Unified") : List.of());
        set(v, schema, "isAssignableToRole", index == 0 ? Boolean.TRUE : null);
        set(v, schema, "mail", unified ? nickname + "@" + domain : null);
        set(v, schema, "mailEnabled", unified);
        set(v, schema, "mailNickname", nickname);
        set(v, schema, "proxyAddresses", unified ? List.of("SMTP:" + nickname + "@" + domain) : List.of());
        set(v, schema, "securityEnabled", !unified);
        set(v, schema, "visibility", unified ? "Private" : null);
        return v;
    }

    /**
     * Target member counts per group: the four App groups get role-like sizes (everybody is a User, few
     * are Admins), the rest share the remaining memberships with a Zipf-like skew, capped at the user count.
     */
    static int[] groupSizes(int groupCount, int userCount, int memberships) {
        int[] sizes = new int[groupCount];
        if (groupCount == 0 || userCount == 0) {
            return sizes;
        }
        long remaining = memberships;
        int[] appTargets = {Math.max(1, userCount / 50), Math.min(userCount, memberships / 2),
                Math.max(1, userCount / 20), Math.max(1, userCount / 20)};
        for (int g = 0; g < Math.min(groupCount, appTargets.length); g++) {
            sizes[g] = (int) Math.min(Math.min(appTargets[g], userCount), remaining);
            remaining -= sizes[g];
        }
        int others = groupCount - Math.min(groupCount, appTargets.length);
        if (others == 0 || remaining <= 0) {
            return sizes;
        }
        double[] weights = new double[others];
        double total = 0;
        for (int i = 0; i < others; i++) {
            weights[i] = 1.0 / Math.pow(i + 1, 0.8);
            total += weights[i];
        }
        int offset = appTargets.length;
        long assigned = 0;
        for (int i = 0; i < others; i++) {
            int size = (int) Math.min(userCount, Math.floor(remaining * weights[i] / total));
            sizes[offset + i] = size;
            assigned += size;
        }
        // Hand out what rounding and capping left over, one member at a time, to groups with room.
        long left = remaining - assigned;
        while (left > 0) {
            boolean progressed = false;
            for (int i = others - 1; i >= 0 && left > 0; i--) {
                if (sizes[offset + i] < userCount) {
                    sizes[offset + i]++;
                    left--;
                    progressed = true;
                }
            }
            if (!progressed) {
                break;
            }
        }
        return sizes;
    }

    private static SortedIntSet sampleMembers(Random random, int[] userOrdinals, int size, BitSet picked) {
        int n = userOrdinals.length;
        int[] chosen = new int[size];
        if (size == 0) {
            return SortedIntSet.fromUnsorted(chosen, 0);
        }
        if (size * 2 > n) {
            // Dense group: exclude a random complement instead of rejection-sampling almost every user.
            picked.clear();
            int excluded = 0;
            while (excluded < n - size) {
                int candidate = random.nextInt(n);
                if (!picked.get(candidate)) {
                    picked.set(candidate);
                    excluded++;
                }
            }
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (!picked.get(i)) {
                    chosen[c++] = userOrdinals[i];
                }
            }
            picked.clear();
            return SortedIntSet.fromUnsorted(chosen, c);
        }
        int c = 0;
        while (c < size) {
            int candidate = random.nextInt(n);
            if (!picked.get(candidate)) {
                picked.set(candidate);
                chosen[c++] = userOrdinals[candidate];
            }
        }
        for (int ordinalIndex = 0; ordinalIndex < c; ordinalIndex++) {
            // Clear only what was set: clearing a 100k-bit set per small group would dominate seeding.
            picked.clear(indexOf(userOrdinals, chosen[ordinalIndex]));
        }
        return SortedIntSet.fromUnsorted(chosen, c);
    }

    /** User ordinals are ascending, so the position of an ordinal is found by binary search. */
    private static int indexOf(int[] sortedOrdinals, int ordinal) {
        return java.util.Arrays.binarySearch(sortedOrdinals, ordinal);
    }

    private static String tenantWord(Tenant tenant) {
        String source = tenant.displayName() == null || tenant.displayName().isBlank() ? tenant.id() : tenant.displayName();
        String word = source.split("[\\s.]")[0].replaceAll("[^A-Za-z0-9]", "");
        if (word.isEmpty()) {
            return "Tenant";
        }
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static String asciiNickname(String name) {
        String normalized = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                .replace("ß", "ss").replaceAll("\\p{M}", "").replace("ı", "i");
        return normalized.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.\\-]", "");
    }

    private static void set(Object[] values, ObjectSchema schema, String name, Object value) {
        values[schema.require(name).index()] = value;
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String uuid(Random random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
