-- Nested groups (role-mapper README "Nested groups"): group-in-group edges already live in group_members
-- (member_type 'group'); evaluation walks them upwards per batch, so no closure table is kept. Walking
-- downwards uses the primary key (by group); upwards looks up parents by member among the edges only: a
-- partial index of the few group-in-group rows, so a level of the walk never scans the user memberships
-- (measured: without it each level scanned the million memberships of the scale run).
create index group_members_edges_idx on group_members (tenant_id, member_id) where member_type = 'group';

-- Why a federated assignment holds: the group ids from the mapped group down to the user's direct group.
alter table role_assignments add column path text[];
alter table outbox add column path text[];
-- Who made an API change (mapping edit, manual assignment): the event's optional data.actor, which the
-- audit-log records as the actor.
alter table outbox add column actor text;

-- Cycles found in the group-in-group edges of a tenant (Entra forbids them: a corrupted feed). The walk
-- cuts them; each distinct cycle is kept once, rotated to start at its smallest group id.
create table group_cycles (
    tenant_id   text        not null,
    cycle       text[]      not null,
    first_seen  timestamptz not null,
    last_seen   timestamptz not null,
    primary key (tenant_id, cycle)
);

-- Every saved role-mapping change: who, when, the request, the document and what it changed.
create table role_mapping_changes (
    seq         bigserial   primary key,
    tenant_id   text        not null,
    request_id  text        not null,
    changed_by  text,
    changed_at  timestamptz not null,
    document    jsonb       not null,
    gained      integer     not null,
    lost        integer     not null,
    assignments integer     not null
);
create index role_mapping_changes_tenant_idx on role_mapping_changes (tenant_id, seq);
