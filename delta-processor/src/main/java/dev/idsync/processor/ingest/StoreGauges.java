package dev.idsync.processor.ingest;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Gauges read from the store when scraped: held deletions, stale users and the outbox backlog. */
@ApplicationScoped
@Startup
public class StoreGauges {

    private final AgroalDataSource dataSource;
    private final Duration staleAfter;

    StoreGauges(AgroalDataSource dataSource, MeterRegistry registry,
            @ConfigProperty(name = "processor.stale-after") Duration staleAfter) {
        this.dataSource = dataSource;
        this.staleAfter = staleAfter;
        Gauge.builder("idsync.processor.deletions.pending", this, g -> g.count(
                        "select count(*) from deletions where status in ('staged', 'held')", false))
                .description("deletions staged or held by the accidental-delete protection").register(registry);
        Gauge.builder("idsync.processor.users.stale", this, g -> g.count("""
                        select count(*) from objects where kind = 'user' and state = 'active' and not placeholder
                        and observed_at < ?""", true))
                .description("active users Graph has not confirmed within processor.stale-after").register(registry);
        for (String kind : new String[] {"user", "group", "directoryRole"}) {
            // The dashboard's store counts: what the store holds now (placeholders and deleted ones excluded).
            Gauge.builder("idsync.processor.store.objects", this, g -> g.countOfKind(kind))
                    .tag("kind", kind).description("active objects in the store, by kind").register(registry);
        }
        Gauge.builder("idsync.processor.outbox.pending", this, g -> g.count("select count(*) from outbox", false))
                .description("decided events committed but not yet acknowledged by Kafka").register(registry);
    }

    private double countOfKind(String kind) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "select count(*) from objects where kind = ? and state = 'active' and not placeholder")) {
            q.setString(1, kind);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    private double count(String sql, boolean withStaleBefore) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            if (withStaleBefore) {
                q.setTimestamp(1, Timestamp.from(Instant.now().minus(staleAfter)));
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
