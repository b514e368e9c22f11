package dev.idsync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idsync.infra.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A batch written in one transaction to a real PostgreSQL that refuses some of its rows. */
class RefusalIsolationTest {

    static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start(0);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @BeforeEach
    void table() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop table if exists applied");
            s.execute("create table applied (seq int primary key, name varchar(8) not null, doc jsonb)");
        }
    }

    @Test
    void only_the_rows_the_database_refuses_for_good_are_set_aside_and_the_rest_commit_in_order() throws SQLException {
        List<String> names = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> "n" + i).toList());
        names.set(7, "much-too-long-for-eight");   // 22001 value too long
        names.set(23, null);                        // 23502 not null
        names.set(31, "nul\u0000byte");             // 22021 NUL in text
        AtomicInteger units = new AtomicInteger();

        RefusalIsolation.Outcome<Integer, Integer> outcome = RefusalIsolation.apply(
                IntStream.range(0, names.size()).boxed().toList(),
                batch -> {
                    units.incrementAndGet();
                    return insert(batch, names);
                });

        assertThat(outcome.refused()).extracting(RefusalIsolation.Refused::item).containsExactly(7, 23, 31);
        assertThat(outcome.refused()).extracting(RefusalIsolation.Refused::reason)
                .satisfiesExactly(r -> assertThat(r).startsWith("22001"), r -> assertThat(r).startsWith("23502"),
                        r -> assertThat(r).startsWith("22021"));
        assertThat(outcome.applied().stream().mapToInt(Integer::intValue).sum()).isEqualTo(37);
        assertThat(stored()).containsExactlyElementsOf(IntStream.range(0, 40).filter(i -> i != 7 && i != 23 && i != 31)
                .boxed().toList());
        assertThat(units.get()).as("units of work for 3 bad rows among 40").isLessThanOrEqualTo(1 + 2 * 3 * 6);
    }

    @Test
    void a_batch_the_database_accepts_is_one_unit_of_work() throws SQLException {
        AtomicInteger units = new AtomicInteger();
        List<String> names = IntStream.range(0, 10).mapToObj(i -> "n" + i).toList();
        RefusalIsolation.Outcome<Integer, Integer> outcome = RefusalIsolation.apply(
                IntStream.range(0, 10).boxed().toList(), batch -> {
                    units.incrementAndGet();
                    return insert(batch, names);
                });
        assertThat(outcome.refused()).isEmpty();
        assertThat(units.get()).isEqualTo(1);
        assertThat(stored()).hasSize(10);
    }

    @Test
    void a_transient_failure_is_retried_and_blames_no_row() throws SQLException {
        // The first attempt's connection is terminated by the server (57P01, as in a PostgreSQL restart).
        DatabaseRetry retry = new DatabaseRetry(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(10),
                (what, attempt, wait, reason) -> { });
        List<String> names = IntStream.range(0, 6).mapToObj(i -> "n" + i).toList();
        AtomicInteger attempts = new AtomicInteger();
        RefusalIsolation.Outcome<Integer, Integer> outcome = RefusalIsolation.apply(
                IntStream.range(0, 6).boxed().toList(), batch -> retry.call("insert", () -> {
                    if (attempts.incrementAndGet() == 1) {
                        try (Connection c = connect(); Statement s = c.createStatement()) {
                            s.execute("select pg_terminate_backend(pg_backend_pid())");
                        }
                    }
                    return insert(batch, names);
                }));
        assertThat(outcome.refused()).isEmpty();
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(stored()).hasSize(6);
    }

    @Test
    void a_failure_that_is_no_refusal_is_thrown_and_blames_no_row() {
        AtomicInteger units = new AtomicInteger();
        assertThatThrownBy(() -> RefusalIsolation.apply(List.of(1, 2, 3, 4), batch -> {
            units.incrementAndGet();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("select * from no_such_table"); // 42P01: the service's fault, not the data's
                return 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        })).hasRootCauseInstanceOf(SQLException.class);
        assertThat(units.get()).isEqualTo(1);
    }

    private static int insert(List<Integer> batch, List<String> names) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into applied (seq, name) values (?, ?)")) {
                for (int seq : batch) {
                    insert.setInt(1, seq);
                    insert.setString(2, names.get(seq));
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
                return batch.size();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("insert of " + batch.size() + " rows failed", e);
        }
    }

    private static List<Integer> stored() throws SQLException {
        List<Integer> seqs = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select seq from applied order by seq")) {
            while (rs.next()) {
                seqs.add(rs.getInt(1));
            }
        }
        return seqs;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
