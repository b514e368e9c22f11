package dev.idsync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idsync.infra.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real PostgreSQL that is really stopped and started again. */
class DatabaseRetryTest {

    static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start(0);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void workFailingWhileTheDatabaseRestartsSucceedsOnceItIsBack() throws Exception {
        List<String> retries = new CopyOnWriteArrayList<>();
        DatabaseRetry retry = new DatabaseRetry(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(60),
                (what, attempt, wait, reason) -> retries.add(reason));
        try (Connection held = connect()) {
            postgres.stopServer();
            CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
                sleep(1_500);
                postgres.startServer();
            });
            // The first attempt uses a connection of before the restart, as a pool would; later ones connect anew.
            AtomicInteger attempts = new AtomicInteger();
            long started = System.nanoTime();
            String answer = retry.call("probe", () -> {
                Connection c = attempts.incrementAndGet() == 1 ? held : connect();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'up'")) {
                    rs.next();
                    return rs.getString(1);
                } finally {
                    if (c != held) {
                        c.close();
                    }
                }
            });
            back.get(30, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo("up");
            assertThat(attempts.get()).isGreaterThan(2);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1_400));
            assertThat(retries).hasSize(attempts.get() - 1).allSatisfy(r -> assertThat(r).matches("(08...|57P0[13]) .*"));
        }
    }

    @Test
    void aFailureThatWouldFailAgainIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        DatabaseRetry retry = new DatabaseRetry(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(30),
                (what, attempt, wait, reason) -> { });
        assertThatThrownBy(() -> retry.call("bad sql", () -> {
            attempts.incrementAndGet();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                return s.executeQuery("SELEKT 1");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("bad sql")
                .cause().isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42601");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aDatabaseThatStaysAwayIsGivenUpOnAfterMaxWait() {
        DatabaseRetry retry = new DatabaseRetry(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(1),
                (what, attempt, wait, reason) -> { });
        postgres.stopServer();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> retry.call("probe", () -> {
                try (Connection c = connect()) {
                    return c.isValid(1);
                }
            })).hasMessageContaining("probe").cause().isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        } finally {
            postgres.startServer();
        }
    }

    @Test
    void aDeadlockIsTransientAndTheRepeatedTransactionCommits() throws Exception {
        try (Connection setup = connect(); Statement s = setup.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS deadlock_probe (id int primary key, v int)");
            s.execute("INSERT INTO deadlock_probe VALUES (1, 0), (2, 0) ON CONFLICT (id) DO UPDATE SET v = 0");
        }
        // Two transactions lock the rows in opposite order. Ours waits first, so its deadlock_timeout (1 s)
        // runs out first: PostgreSQL aborts ours with 40P01, the other one gets through and commits, and
        // the repeated attempt commits after it.
        DatabaseRetry retry = DatabaseRetry.defaults();
        AtomicInteger attempts = new AtomicInteger();
        List<String> states = new CopyOnWriteArrayList<>();
        try (Connection other = connect()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeUpdate("UPDATE deadlock_probe SET v = v + 1 WHERE id = 2");
            }
            CompletableFuture<Void> otherDone = new CompletableFuture<>();
            retry.run("swap", () -> {
                try (Connection c = connect()) {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("UPDATE deadlock_probe SET v = v + 1 WHERE id = 1");
                        if (attempts.incrementAndGet() == 1) {
                            CompletableFuture.runAsync(() -> {
                                sleep(300);
                                try (Statement o = other.createStatement()) {
                                    o.executeUpdate("UPDATE deadlock_probe SET v = v + 1 WHERE id = 1");
                                    other.commit();
                                    otherDone.complete(null);
                                } catch (SQLException e) {
                                    otherDone.completeExceptionally(e);
                                }
                            });
                        }
                        s.executeUpdate("UPDATE deadlock_probe SET v = v + 1 WHERE id = 2");
                        c.commit();
                    } catch (SQLException e) {
                        states.add(e.getSQLState());
                        throw e;
                    }
                }
            });
            otherDone.get(30, TimeUnit.SECONDS);
        }
        assertThat(states).containsExactly("40P01");
        assertThat(attempts).hasValue(2);
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(v) FROM deadlock_probe")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(4);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
