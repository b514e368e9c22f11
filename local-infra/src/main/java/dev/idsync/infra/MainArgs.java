package dev.idsync.infra;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Command line of {@link LocalInfraMain}.
 *
 * @param envFile where to write the connection settings (required)
 * @param workDir where the servers' data lives (default: a directory under the system temp dir)
 * @param kafkaPort preferred Kafka port (the contract's 19092)
 * @param postgresPort preferred PostgreSQL port (the contract's 15432)
 */
record MainArgs(Path envFile, Optional<Path> workDir, int kafkaPort, int postgresPort) {

    static final int DEFAULT_KAFKA_PORT = 19092;
    static final int DEFAULT_POSTGRES_PORT = 15432;
    static final String USAGE = "usage: LocalInfraMain --env-file <path> [--work-dir <dir>]"
            + " [--kafka-port <port, default 19092>] [--postgres-port <port, default 15432>]";

    static MainArgs parse(String... args) {
        Path envFile = null;
        Path workDir = null;
        int kafkaPort = DEFAULT_KAFKA_PORT;
        int postgresPort = DEFAULT_POSTGRES_PORT;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option + "\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--env-file" -> envFile = Path.of(value);
                case "--work-dir" -> workDir = Path.of(value);
                case "--kafka-port" -> kafkaPort = port(option, value);
                case "--postgres-port" -> postgresPort = port(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (envFile == null) {
            throw new IllegalArgumentException("--env-file is required\n" + USAGE);
        }
        return new MainArgs(envFile, Optional.ofNullable(workDir), kafkaPort, postgresPort);
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a port number (0 = any free port), not " + value);
    }
}
