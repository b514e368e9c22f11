-- One row per delta run of a tenant; the run id travels on every event of the run.
create table sync_runs (
    run_id      text        primary key,
    tenant_id   text        not null,
    mode        text        not null check (mode in ('delta', 'full', 'dryRun')),
    resources   text[]      not null,
    epoch       bigint      not null,
    state       text        not null check (state in ('running', 'completed', 'failed')),
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    counts      jsonb       not null default '{}'::jsonb,
    error       text
);
create index sync_runs_tenant_idx on sync_runs (tenant_id, started_at desc);
