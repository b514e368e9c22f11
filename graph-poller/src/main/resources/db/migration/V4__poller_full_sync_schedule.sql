-- The scheduled full sync per tenant (graph-poller README, "Scheduled full sync"). Due-ness is computed
-- from this row with the database's clock, under the run lease, so a restart neither repeats a full sync
-- nor skips one, and of several poller instances only one starts it.
--   baseline_at         since when the schedule counts for a tenant that never had a complete full sync
--   last_full_sync_at   start of the last complete full run of every resource (what it saw is as of then)
--   last_attempt_at     start of the last scheduled full run, whatever became of it (a failed one is retried
--                       only after idsync.poller.full-sync.retry-after)
create table full_sync_schedule (
    tenant_id           text        primary key,
    baseline_at         timestamptz not null default now(),
    last_full_sync_at   timestamptz,
    last_full_run_id    text,
    last_attempt_at     timestamptz,
    last_attempt_run_id text
);

-- Tenants that ran before this table existed: their first run is the baseline, their last complete full
-- run (of any resources: the schema kept no better record) the last full sync.
insert into full_sync_schedule (tenant_id, baseline_at, last_full_sync_at, last_attempt_at)
select tenant_id, min(started_at),
       max(started_at) filter (where mode = 'full' and state = 'completed'),
       max(started_at) filter (where mode = 'full')
from sync_runs
group by tenant_id;
