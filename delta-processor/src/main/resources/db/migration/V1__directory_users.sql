-- The local copy of the tenant's users, keyed by the Entra object id (the anchor, reference 004).
-- observed_at is the Graph response's Date of the newest applied observation: an older one never
-- overwrites it (DESIGN.md invariant 4).
create table users (
    tenant_id      text        not null,
    object_id      text        not null,
    attributes     jsonb       not null default '{}'::jsonb,
    state          text        not null default 'active'
                   check (state in ('active', 'pendingDeletion', 'pendingHardDeletion', 'removed')),
    removal_reason text,
    observed_at    timestamptz not null,
    run_id         text,
    epoch          bigint      not null default 0,
    updated_at     timestamptz not null default now(),
    primary key (tenant_id, object_id)
);
create index users_state_idx on users (tenant_id, state);
