package dev.idsync.poller.notify;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code poller.graph_subscriptions}: one row per tenant and resource (primary key), shared by every poller
 * instance. Writes happen in the keeper's transaction, under the tenant's advisory lock.
 */
@ApplicationScoped
public class SubscriptionStore {

    private static final String COLUMNS = "tenant_id, resource, subscription_id, expires_at, notification_url, "
            + "created_at, renewed_at";

    private final AgroalDataSource dataSource;

    SubscriptionStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<SubscriptionRecord> of(String tenantId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select " + COLUMNS
                     + " from graph_subscriptions where tenant_id = ? order by resource")) {
            q.setString(1, tenantId);
            return read(q);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the subscriptions of " + tenantId + ": " + e.getMessage(), e);
        }
    }

    public List<SubscriptionRecord> all() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select " + COLUMNS + " from graph_subscriptions")) {
            return read(q);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the subscriptions: " + e.getMessage(), e);
        }
    }

    /** The row naming this Graph subscription, if it is (still) one of ours. */
    public Optional<SubscriptionRecord> bySubscriptionId(String tenantId, String subscriptionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select " + COLUMNS
                     + " from graph_subscriptions where tenant_id = ? and subscription_id = ?")) {
            q.setString(1, tenantId);
            q.setString(2, subscriptionId);
            return read(q).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read subscription " + subscriptionId + ": " + e.getMessage(), e);
        }
    }

    Optional<SubscriptionRecord> find(Connection c, String tenantId, String resource) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select " + COLUMNS
                + " from graph_subscriptions where tenant_id = ? and resource = ?")) {
            q.setString(1, tenantId);
            q.setString(2, resource);
            return read(q).stream().findFirst();
        }
    }

    /** A new subscription replaces whatever the row said (a removed or expired one). */
    void put(Connection c, String tenantId, String resource, String subscriptionId, Instant expiresAt,
             String notificationUrl) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("""
                insert into graph_subscriptions (tenant_id, resource, subscription_id, expires_at, notification_url)
                values (?, ?, ?, ?, ?)
                on conflict (tenant_id, resource) do update set subscription_id = excluded.subscription_id,
                    expires_at = excluded.expires_at, notification_url = excluded.notification_url,
                    created_at = clock_timestamp(), renewed_at = null""")) {
            u.setString(1, tenantId);
            u.setString(2, resource);
            u.setString(3, subscriptionId);
            u.setTimestamp(4, Timestamp.from(expiresAt));
            u.setString(5, notificationUrl);
            u.executeUpdate();
        }
    }

    void renewed(Connection c, String subscriptionId, Instant expiresAt) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(
                "update graph_subscriptions set expires_at = ?, renewed_at = clock_timestamp() where subscription_id = ?")) {
            u.setTimestamp(1, Timestamp.from(expiresAt));
            u.setString(2, subscriptionId);
            u.executeUpdate();
        }
    }

    /** Graph removed it: the row goes, so the keeper creates a new one. */
    public boolean forget(String tenantId, String subscriptionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement u = c.prepareStatement(
                     "delete from graph_subscriptions where tenant_id = ? and subscription_id = ?")) {
            u.setString(1, tenantId);
            u.setString(2, subscriptionId);
            return u.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("could not forget subscription " + subscriptionId + ": " + e.getMessage(), e);
        }
    }

    void remove(Connection c, String tenantId, String resource) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(
                "delete from graph_subscriptions where tenant_id = ? and resource = ?")) {
            u.setString(1, tenantId);
            u.setString(2, resource);
            u.executeUpdate();
        }
    }

    private static List<SubscriptionRecord> read(PreparedStatement q) throws SQLException {
        List<SubscriptionRecord> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Timestamp renewed = rs.getTimestamp(7);
                out.add(new SubscriptionRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getTimestamp(6).toInstant(),
                        renewed == null ? null : renewed.toInstant()));
            }
        }
        return out;
    }
}
