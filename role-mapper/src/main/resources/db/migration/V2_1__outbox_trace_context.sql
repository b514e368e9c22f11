-- The W3C traceparent of the span that wrote the row (the consumer batch, login-sync or admin request that
-- changed the assignment), null when tracing is off. OutboxRelay puts it on the record, so subscribers
-- continue that trace (root README, "Operating").
alter table outbox add column trace_parent text;
