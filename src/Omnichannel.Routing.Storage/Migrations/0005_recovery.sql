-- What a queue needs to rebuild its waiting line after a restart without activating each interaction: where the
-- interaction waits, as its latest event recorded it (the entry its queues hold and the queues it also waits in after
-- an overflow in mode "also"); null while it does not wait, and for rows recorded before this column existed.
ALTER TABLE routing_interaction_state ADD COLUMN IF NOT EXISTS waiting jsonb;

-- A queue finds the interactions that also wait in it by this array.
CREATE INDEX IF NOT EXISTS routing_interaction_state_also_waiting
    ON routing_interaction_state USING gin ((waiting -> 'AlsoQueues')) WHERE state = 'Queued';
