package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    static Path root;
    static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start(0, TestDirs.traversable(root));
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void connectsOverTcpToDatabaseIdsyncWithThePassword() throws SQLException {
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/idsync");
        assertThat(postgres.username()).isEqualTo("idsync");
        try (Connection c = connect(postgres.password())) {
            assertThat(query(c, "SELECT current_user")).isEqualTo("idsync");
            assertThat(query(c, "SELECT current_database()")).isEqualTo("idsync");
            assertThat(query(c, "SELECT host(inet_server_addr())")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void fsyncIsOn() throws SQLException {
        try (Connection c = connect(postgres.password())) {
            assertThat(query(c, "SHOW fsync")).isEqualTo("on");
        }
    }

    @Test
    void theUserOwnsTheDatabaseButIsNoSuperuser() throws SQLException {
        try (Connection c = connect(postgres.password()); Statement s = c.createStatement()) {
            assertThat(query(c, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'idsync'")).isEqualTo("idsync");
            assertThat(query(c, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).isEqualTo("false");
            // What each service's Flyway does first.
            s.execute("CREATE SCHEMA flyway_probe");
            s.execute("CREATE TABLE flyway_probe.t (id int primary key, doc jsonb)");
            s.execute("DROP SCHEMA flyway_probe CASCADE");
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> connect(postgres.password() + "x").close())
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("28P01"); // invalid_password
    }

    @Test
    void aRestartedServerKeepsItsDataAndPortAndEndsTheSessionsItHad() throws SQLException {
        try (Connection c = connect(postgres.password()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE restart_probe (id int primary key)");
            s.execute("INSERT INTO restart_probe VALUES (1)");
        }
        try (Connection open = connect(postgres.password())) {
            postgres.stopServer();
            assertThatThrownBy(() -> connect(postgres.password()).close()).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).asString().startsWith("08");
            postgres.startServer();
            // A session of before the restart is gone (admin_shutdown, or the connection closed): what a
            // service's pool sees after a database restart.
            assertThatThrownBy(() -> query(open, "SELECT 1")).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).asString().matches("57P01|08...");
        }
        try (Connection c = connect(postgres.password()); Statement s = c.createStatement()) {
            assertThat(query(c, "SELECT count(*) FROM restart_probe")).isEqualTo("1");
            s.execute("DROP TABLE restart_probe");
        }
    }

    private static Connection connect(String password) throws SQLException {
        return LocalPostgres.connect(postgres.jdbcUrl(), postgres.username(), password);
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
