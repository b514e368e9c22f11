-- Every event of every idsync topic, once (ce_id is the CloudEvents id, deterministic per change).
create table events (
    seq         bigint generated always as identity primary key,
    ce_id       text        not null unique,
    ce_type     text        not null,
    ce_source   text        not null,
    topic       text        not null,
    tenant_id   text        not null,
    object_id   text        not null,
    run_id      text,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null default now(),
    payload     jsonb       not null
);
create index events_tenant_object_idx on events (tenant_id, object_id, seq);
