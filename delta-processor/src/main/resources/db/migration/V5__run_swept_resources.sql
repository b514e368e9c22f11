-- The resources a completed run read completely in an initial round of its epoch: all of a full run's,
-- and in a delta run those whose delta token had expired (syncrun.completed data.initialRounds). Their
-- objects last seen in an older epoch go through the sweep: an initial round reports no deletions.
-- null: the run sweeps nothing; empty: every resource (a full run that named none).
alter table sync_runs add column swept_resources text[];
update sync_runs set swept_resources = resources where mode = 'full' and status = 'completed';
