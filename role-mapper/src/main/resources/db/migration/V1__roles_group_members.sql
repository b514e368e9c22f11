-- role-mapper's own view of group membership, learnt from idsync.directory.memberships.v1
-- (it never reads the directory schema: DESIGN.md invariant 8).
create table group_members (
    tenant_id   text        not null,
    group_id    text        not null,
    member_id   text        not null,
    member_type text        not null,
    observed_at timestamptz not null,
    primary key (tenant_id, group_id, member_id)
);
create index group_members_member_idx on group_members (tenant_id, member_id);

-- Removals are remembered (tombstones) so that a stale "added" replayed after a newer "removed"
-- cannot bring a membership back.
create table group_member_removals (
    tenant_id   text        not null,
    group_id    text        not null,
    member_id   text        not null,
    observed_at timestamptz not null,
    primary key (tenant_id, group_id, member_id)
);
