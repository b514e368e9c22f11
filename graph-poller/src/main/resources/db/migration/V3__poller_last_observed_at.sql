-- The observedAt of the last page published per tenant and resource. Graph's Date has whole seconds; a
-- page answered in the same second as the one before gets the previous observedAt + 1 ms, so that a
-- later observation of an object is always newer than an earlier one, across runs and instances.
alter table delta_state add column last_observed_at timestamptz;

-- Whether the round in progress is an initial one (a first sync, a full run, a resync): only a complete
-- initial round lets consumers treat the resource's objects not seen in its epoch as gone, also when
-- the round was interrupted and resumed by a later run.
alter table delta_state add column checkpoint_initial boolean;
