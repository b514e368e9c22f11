-- Dry runs (idsync.sync.dryrun.v1) and their plans: what a full sync would do against the store. Kept
-- apart from objects/memberships, which a dry run never touches.
create table dry_runs (
    tenant_id     text        not null,
    run_id        text        not null,
    state         text        not null default 'collecting' check (state in ('collecting', 'complete', 'failed')),
    resources     text[]      not null default '{}',
    -- Event counts by type ("user.upserted", ...) as the run's syncrun.completed announced them, and as
    -- read so far: the plan is computed once every announced event has arrived (the completion can be
    -- read ahead of another partition's events).
    expected      jsonb,
    received      jsonb       not null default '{}'::jsonb,
    -- A run that stopped after limitUsers users read only part of the tenant's users: it cannot say
    -- which users are gone, so no user is proposed for deletion as "not seen".
    limited       boolean     not null default false,
    reason        text,
    started_at    timestamptz,
    completed_at  timestamptz,
    planned_at    timestamptz,
    summary       jsonb       not null default '{}'::jsonb,
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, run_id)
);

-- What the dry run read, one row per object (attributes as received, accumulated), until the plan is
-- computed; then deleted.
create table dry_run_objects (
    tenant_id      text    not null,
    run_id         text    not null,
    object_id      text    not null,
    kind           text    not null,
    attributes     jsonb   not null default '{}'::jsonb,
    removed        boolean not null default false,
    removal_reason text,
    primary key (tenant_id, run_id, object_id)
);

create table dry_run_memberships (
    tenant_id      text    not null,
    run_id         text    not null,
    container_id   text    not null,
    member_id      text    not null,
    container_kind text    not null,
    present        boolean not null,
    primary key (tenant_id, run_id, container_id, member_id)
);

-- The plan: one row per object a full sync would add, update or delete.
create table dry_run_items (
    tenant_id    text  not null,
    run_id       text  not null,
    object_id    text  not null,
    kind         text  not null,
    action       text  not null check (action in ('add', 'update', 'delete')),
    display_name text,
    -- [{attribute, old, new}] after field mapping and org-unit mapping; for an add the new values.
    changes      jsonb not null default '[]'::jsonb,
    reason       text,
    primary key (tenant_id, run_id, object_id)
);
create index dry_run_items_order_idx on dry_run_items (tenant_id, run_id, action, kind, object_id);
