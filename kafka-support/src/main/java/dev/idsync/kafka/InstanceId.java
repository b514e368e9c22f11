package dev.idsync.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Which instance of a service this process is: {@code idsync.instance-id} (environment
 * {@code IDSYNC_INSTANCE_ID}), by default the host name, which is stable per container and per pod of a
 * StatefulSet, and is the same again when a killed process is restarted in its container. Two instances on
 * one host (system-tests' child JVMs) must set distinct ids, or they fence each other out of the group.
 */
public final class InstanceId {

    public static final String KEY = "idsync.instance-id";

    private InstanceId() {
    }

    public static String of(Config config) {
        Optional<String> configured = config.getOptionalValue(KEY, String.class).filter(id -> !id.isBlank());
        return configured.orElseGet(InstanceId::hostName);
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("no host name to use as " + KEY + "; set IDSYNC_INSTANCE_ID", e);
        }
    }
}
