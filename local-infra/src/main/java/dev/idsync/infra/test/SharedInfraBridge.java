package dev.idsync.infra.test;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * Calls {@link SharedInfra} as loaded by the system class loader.
 *
 * <p>Why: Quarkus (3.33, {@code QuarkusTestExtension}) instantiates test resources inside each
 * application's own class loader, one per restart (another test profile or resource set), and closes it
 * when that application stops. A plain static holder would then exist once per restart, i.e. one broker
 * per restart. The system class loader has this module on its class path in a Surefire run, is shared by
 * all of them and is never closed. Where it does not have this class (an unusual launcher), the caller's
 * own copy is used.
 */
final class SharedInfraBridge {

    private SharedInfraBridge() {
    }

    static Map<String, String> kafkaConfig() {
        return call("kafkaConfig");
    }

    static Map<String, String> postgresConfig() {
        return call("postgresConfig");
    }

    static Map<String, String> emulatorConfig() {
        return call("emulatorConfig");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> call(String method) {
        try {
            return Map.copyOf((Map<String, String>) shared().getMethod(method).invoke(null));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call SharedInfra." + method, e);
        }
    }

    private static Class<?> shared() {
        try {
            return Class.forName(SharedInfra.class.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            return SharedInfra.class;
        }
    }
}
