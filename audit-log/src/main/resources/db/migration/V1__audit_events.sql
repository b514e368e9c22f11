-- The audit trail: every event of every idsync topic, once, append-only and hash-chained per tenant.
-- (V1 was rewritten before anything was deployed: the first version was neither partitioned nor chained.)

-- The end of each tenant's chain, and where the retained part of it starts. Writers lock a tenant's row
-- (SELECT ... FOR UPDATE) for the length of a batch, so the chain stays linear per tenant however many
-- partitions and instances consume; seq is handed out under that lock, so per tenant seq order is also
-- commit order (which keeps keyset paging on seq stable under concurrent inserts).
create table chain_heads (
    tenant_id        text        primary key,
    last_seq         bigint      not null default 0,
    last_hash        bytea       not null default decode(repeat('00', 32), 'hex'),
    -- recorded_at never goes backwards within a tenant, so a time partition holds a contiguous seq range
    last_recorded_at timestamptz,
    -- the last row before the retained range (seq 0 and the zero hash while nothing was dropped)
    anchor_seq       bigint      not null default 0,
    anchor_hash      bytea       not null default decode(repeat('00', 32), 'hex'),
    anchored_at      timestamptz
);

-- Deduplication by ce_id across all partitions (a partitioned table cannot have a unique key without
-- its partition columns). Rows leave it only with the partition that held their event (retention).
create table event_ids (
    ce_id       text        primary key,
    tenant_id   text        not null,
    recorded_at timestamptz not null
);
create index event_ids_tenant_time_idx on event_ids (tenant_id, recorded_at);

-- Partitioned by tenant, then by month of recorded_at (see ensure_partition), so retention per tenant
-- drops whole tables instead of deleting rows.
create table events (
    tenant_id   text        not null,
    seq         bigint      not null,
    recorded_at timestamptz not null,
    ce_id       text        not null,
    ce_type     text        not null,
    ce_source   text        not null,
    topic       text        not null,
    object_id   text        not null,
    actor       text,
    run_id      text,
    occurred_at timestamptz not null,
    payload     bytea       not null, -- the record's value exactly as published
    hash        bytea       not null, -- SHA-256(previous row's hash || canonical form of this row)
    primary key (tenant_id, seq, recorded_at)
) partition by list (tenant_id);
create index events_object_idx on events (tenant_id, object_id, seq);
create index events_type_idx on events (tenant_id, ce_type, seq);
create index events_actor_idx on events (tenant_id, actor, seq) where actor is not null;
create index events_run_idx on events (tenant_id, run_id, seq) where run_id is not null;

-- Which month tables exist, for the writer's check and the retention job.
create table partitions (
    tenant_id   text        not null,
    range_start timestamptz not null,
    range_end   timestamptz not null,
    table_name  text        not null unique,
    primary key (tenant_id, range_start)
);

-- What retention removed: one row per dropped partition, with the anchor it left behind.
create table retention_log (
    tenant_id   text        not null,
    table_name  text        not null,
    range_start timestamptz not null,
    range_end   timestamptz not null,
    anchor_seq  bigint      not null,
    anchor_hash bytea       not null,
    dropped_at  timestamptz not null default now()
);

-- Append-only. The application and Flyway share one database user here, and that user owns the table:
-- revoking UPDATE/DELETE from an owner is only advisory (an owner may grant them back, and each
-- partition carries its own privileges), while a trigger refuses the change for every role on every
-- path, root or partition, until someone deliberately disables it with DDL. The hash chain, not the
-- trigger, is what makes a change by such a person visible.
create function refuse_change() returns trigger
    language plpgsql as
$$
begin
    raise exception 'audit.events is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
end
$$;

create trigger events_append_only
    before update or delete on events
    for each row execute function refuse_change();

revoke update, delete, truncate on events from current_user;

-- Creates the tenant's table and its month table holding p_at, if missing. Called by the writer while it
-- holds the tenant's chain head, so two writers never race for one tenant's partitions.
create function ensure_partition(p_tenant text, p_at timestamptz) returns text
    language plpgsql
    set search_path = audit
as
$$
declare
    v_start  timestamptz := date_trunc('month', p_at at time zone 'UTC') at time zone 'UTC';
    v_end    timestamptz := (date_trunc('month', p_at at time zone 'UTC') + interval '1 month') at time zone 'UTC';
    v_tenant text        := 'events_' || substr(encode(sha256(convert_to(p_tenant, 'UTF8')), 'hex'), 1, 16);
    v_month  text        := v_tenant || '_' || to_char(p_at at time zone 'UTC', 'YYYYMM');
begin
    if exists (select 1 from partitions where tenant_id = p_tenant and range_start = v_start) then
        return v_month;
    end if;
    if to_regclass(v_tenant) is null then
        execute format('create table %I partition of events for values in (%L) partition by range (recorded_at)',
                       v_tenant, p_tenant);
    end if;
    execute format('create table %I partition of %I for values from (%L) to (%L)', v_month, v_tenant, v_start, v_end);
    -- TRUNCATE triggers are not inherited: every month table gets its own.
    execute format('create trigger no_truncate before truncate on %I for each statement execute function refuse_change()',
                   v_month);
    insert into partitions (tenant_id, range_start, range_end, table_name) values (p_tenant, v_start, v_end, v_month);
    return v_month;
end
$$;
