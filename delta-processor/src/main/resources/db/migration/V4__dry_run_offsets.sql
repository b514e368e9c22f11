-- How far the dry-run collector got per partition, written in the same transaction as what it staged: a
-- batch re-delivered after a crash between the commit and the offset commit is recognised and skipped,
-- so the event counts that decide when a plan is complete count each record once.
create table dry_run_offsets (
    topic       text   not null,
    partition   int    not null,
    next_offset bigint not null,
    primary key (topic, partition)
);
