-- Runs: who started them, how far they got (updated with every page, so GET shows progress), why they ended.
-- 'interrupted' = stopped between pages by a shutdown; the next run resumes from the checkpoint.
alter table sync_runs drop constraint sync_runs_state_check;
alter table sync_runs add constraint sync_runs_state_check
    check (state in ('running', 'completed', 'failed', 'interrupted'));
alter table sync_runs add column trigger     text        not null default 'api' check (trigger in ('api', 'schedule'));
alter table sync_runs add column limit_users integer;
alter table sync_runs add column pages       bigint      not null default 0;
alter table sync_runs add column updated_at  timestamptz not null default now();
alter table sync_runs add column notes       text[]      not null default '{}';
create index sync_runs_running_idx on sync_runs (tenant_id) where state = 'running';

-- The full-sync generation of a tenant: a full run or a resync after an expired token opens the next one.
create table tenant_epochs (
    tenant_id text   primary key,
    epoch     bigint not null
);

-- One row per tenant and resource (users, groups, directoryRoles): the delta token for the next round,
-- and while a round is in progress the link of its next unpublished page (the checkpoint). Both are
-- written only after Kafka acknowledged every event of the pages before them.
create table delta_state (
    tenant_id         text        not null,
    resource          text        not null,
    delta_link        text,
    token_epoch       bigint,
    token_select      text,
    token_updated_at  timestamptz,
    checkpoint_link   text,
    checkpoint_epoch  bigint,
    checkpoint_select text,
    checkpoint_run_id text,
    checkpoint_pages  bigint,
    checkpoint_at     timestamptz,
    primary key (tenant_id, resource)
);

-- Replaced and abandoned tokens are kept as backups (reference 003: never lose a state token).
create table delta_token_history (
    id          bigserial   primary key,
    tenant_id   text        not null,
    resource    text        not null,
    delta_link  text        not null,
    epoch       bigint,
    token_select text,
    stored_at   timestamptz,
    replaced_at timestamptz not null default now(),
    reason      text        not null
);
create index delta_token_history_idx on delta_token_history (tenant_id, resource, replaced_at desc);
