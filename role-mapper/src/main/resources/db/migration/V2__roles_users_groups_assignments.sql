-- role-mapper's own view of users and groups, learnt from idsync.directory.users.v1 and
-- idsync.directory.groups.v1 (never from the directory schema: DESIGN.md invariant 8). Only what role
-- evaluation needs: whether a user is active, and what a group is called (pattern mappings).
create table users (
    tenant_id   text        not null,
    user_id     text        not null,
    -- active: enabled and in scope; disabled: accountEnabled=false; removed: deleted or out of scope.
    state       text        not null check (state in ('active', 'disabled', 'removed')),
    observed_at timestamptz not null,
    primary key (tenant_id, user_id)
);

create table groups (
    tenant_id    text        not null,
    group_id     text        not null,
    display_name text,
    removed      boolean     not null default false,
    observed_at  timestamptz not null,
    primary key (tenant_id, group_id)
);

-- Role mappings edited over the API; a tenant without a row uses its idsync.yaml mappings.
create table role_mappings (
    tenant_id  text        primary key,
    document   jsonb       not null,
    updated_at timestamptz not null,
    updated_by text
);

-- The current application role assignments: one row per (role, source, group). A federated row with
-- group_id '' is the default role every active user holds; manual rows always have group_id ''.
-- A role is effective while at least one row for it exists.
create table role_assignments (
    tenant_id    text        not null,
    user_id      text        not null,
    role         text        not null,
    source       text        not null check (source in ('federated', 'manual')),
    group_id     text        not null default '',
    access_level text        check (access_level in ('read', 'edit')),
    granted_at   timestamptz not null,
    primary key (tenant_id, user_id, role, source, group_id)
);
create index role_assignments_role_idx on role_assignments (tenant_id, role);

-- Transactional outbox: role-assignment events written in the same transaction as the change they
-- describe, published by OutboxRelay afterwards (see README: why not a Kafka transaction).
create table outbox (
    seq          bigserial   primary key,
    granted      boolean     not null,
    tenant_id    text        not null,
    user_id      text        not null,
    run_id       text,
    epoch        bigint      not null,
    observed_at  timestamptz not null,
    role         text        not null,
    source       text        not null,
    group_id     text,
    access_level text
);
