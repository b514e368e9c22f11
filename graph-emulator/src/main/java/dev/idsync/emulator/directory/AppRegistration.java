package dev.idsync.emulator.directory;

import java.util.Set;

/**
 * An application registered in a tenant: the client-credential identity a service uses, and the Graph
 * application permissions (app roles) granted to it, e.g. {@code User.Read.All}.
 */
public record AppRegistration(String clientId, String clientSecret, String displayName, Set<String> permissions,
                              String servicePrincipalId) {

    public AppRegistration {
        permissions = Set.copyOf(permissions);
    }

    public boolean hasAny(Set<String> accepted) {
        for (String p : permissions) {
            if (accepted.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
