-- Personal data: the retention job finds interactions that ended before its cut-off and whose context is not yet
-- forgotten; forgetting marks them, so each pass reads only new work. An administrator's erasure and the retention
-- job find a customer's journey entries by interaction through the partial index on journey rows.
ALTER TABLE routing_interaction_state ADD COLUMN IF NOT EXISTS context_forgotten boolean NOT NULL DEFAULT false;

CREATE INDEX IF NOT EXISTS routing_interaction_state_context_expiry
    ON routing_interaction_state (updated_at) WHERE state IN ('Completed', 'Abandoned') AND NOT context_forgotten;

CREATE INDEX IF NOT EXISTS routing_event_journey_interaction
    ON routing_event (interaction_id) WHERE subject = 'Customer';
