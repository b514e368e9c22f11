-- The W3C traceparent of the span that wrote the row (the consumer batch or admin request that decided the
-- event), null when tracing is off. OutboxRelay puts it on the record, so subscribers continue the trace
-- that decided the event rather than the relay's (root README, "Operating").
alter table outbox add column trace_parent text;
