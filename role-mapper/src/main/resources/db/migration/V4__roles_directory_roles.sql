-- Entra directory roles and their members, learnt from idsync.directory.roles.v2, for the optional
-- directory role → application role mapping (role-mappings.directory-roles, off by default).
create table directory_roles (
    tenant_id    text        not null,
    role_id      text        not null,
    template_id  text,
    display_name text,
    removed      boolean     not null default false,
    observed_at  timestamptz not null,
    primary key (tenant_id, role_id)
);

create table directory_role_members (
    tenant_id   text        not null,
    role_id     text        not null,
    member_id   text        not null,
    observed_at timestamptz not null,
    primary key (tenant_id, role_id, member_id)
);
create index directory_role_members_member_idx on directory_role_members (tenant_id, member_id);

-- As for group memberships: a stale "added" must not bring back a newer removal.
create table directory_role_member_removals (
    tenant_id   text        not null,
    role_id     text        not null,
    member_id   text        not null,
    observed_at timestamptz not null,
    primary key (tenant_id, role_id, member_id)
);
