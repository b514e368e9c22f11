-- Graph change-notification subscriptions: one per tenant and resource across all poller instances (the
-- primary key), so instances sharing the database never create duplicates; creation and renewal also run
-- under a per-tenant advisory lock (SubscriptionKeeper).
create table graph_subscriptions (
    tenant_id        text        not null,
    resource         text        not null check (resource in ('users', 'groups')),
    subscription_id  text        not null unique,
    expires_at       timestamptz not null,
    notification_url text        not null,
    created_at       timestamptz not null default clock_timestamp(),
    renewed_at       timestamptz,
    primary key (tenant_id, resource)
);

-- Runs a notification triggered are recorded as such.
alter table sync_runs drop constraint sync_runs_trigger_check;
alter table sync_runs add constraint sync_runs_trigger_check check (trigger in ('api', 'schedule', 'notification'));
