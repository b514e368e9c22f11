-- One table for every directory object (users, groups, directory roles, and members of other types
-- seen only as placeholders), keyed by tenant + Entra object id: the anchor (reference 004), unique
-- across object types within a tenant. The users table of V1 becomes it.
alter table users rename to objects;
alter index users_state_idx rename to objects_state_idx;
alter table objects rename constraint users_pkey to objects_pkey;
alter table objects add column kind text not null default 'user'
    check (kind in ('user', 'group', 'directoryRole', 'servicePrincipal', 'device', 'orgContact'));
alter table objects alter column kind drop default;
-- A placeholder holds a reference (a member seen before its object) until the object's own event
-- fills it (references 003 and 004). Its observed_at is -infinity, so any real observation wins.
alter table objects add column placeholder boolean not null default false;
create index objects_kind_idx on objects (tenant_id, kind, state);
create index objects_epoch_idx on objects (tenant_id, epoch) where state = 'active' and not placeholder;

-- Group and directory-role memberships. A removed membership stays as a tombstone (present = false)
-- with the observation that removed it, so replaying an older "added" cannot bring it back.
create table memberships (
    tenant_id      text        not null,
    container_id   text        not null,
    member_id      text        not null,
    container_kind text        not null check (container_kind in ('group', 'directoryRole')),
    member_type    text        not null,
    present        boolean     not null,
    observed_at    timestamptz not null,
    run_id         text,
    epoch          bigint      not null default 0,
    updated_at     timestamptz not null default now(),
    primary key (tenant_id, container_id, member_id)
);
create index memberships_member_idx on memberships (tenant_id, member_id) where present;

-- Sync runs seen on idsync.sync.runs.v1, and the accidental-delete gate's decision for each.
create table sync_runs (
    tenant_id     text        not null,
    run_id        text        not null,
    mode          text,
    resources     text[]      not null default '{}',
    epoch         bigint      not null default 0,
    status        text        not null default 'started' check (status in ('started', 'completed', 'failed')),
    started_at    timestamptz,
    finished_at   timestamptz,
    counts        jsonb       not null default '{}'::jsonb,
    gate          text        not null default 'open' check (gate in ('open', 'released', 'held')),
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, run_id)
);
create index sync_runs_finished_idx on sync_runs (tenant_id, status, finished_at);

-- Every deletion passes through here: staged while its run is open, then applied, or held above the
-- tenant's threshold until an admin approves or rejects it. Unique per run and object, so a replay
-- stages nothing new.
create table deletions (
    tenant_id   text        not null,
    run_id      text        not null,
    object_id   text        not null,
    kind        text        not null,
    reason      text        not null,
    source      text        not null check (source in ('event', 'sweep')),
    sweep_epoch bigint,
    observed_at timestamptz not null,
    epoch       bigint      not null default 0,
    status      text        not null default 'staged' check (status in ('staged', 'held', 'applied', 'rejected')),
    created_at  timestamptz not null default now(),
    decided_at  timestamptz,
    decided_by  text,
    primary key (tenant_id, run_id, object_id)
);
create index deletions_status_idx on deletions (tenant_id, status);
