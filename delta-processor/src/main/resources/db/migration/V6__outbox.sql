-- Transactional outbox (docs/DESIGN.md invariant 11): what delta-processor decided (directory events and
-- the gate's decisions), appended in the very transaction that changes the store, so an event exists if and
-- only if its change committed. OutboxRelay publishes the rows in seq order and deletes exactly those Kafka
-- acknowledged. The body is the event's JSON (EventJson); topic, key and ce_id follow from it.
create table outbox (
    seq        bigserial   primary key,
    event_type text        not null,
    body       text        not null,
    created_at timestamptz not null default now()
);
