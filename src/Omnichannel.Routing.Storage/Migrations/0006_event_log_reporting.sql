-- Interval reports read the event log by time range and cut it by channel: each interaction event carries its
-- channel (null on rows written before this migration), and an index on occurred_at serves the range.
ALTER TABLE routing_event ADD COLUMN IF NOT EXISTS channel text;

CREATE INDEX IF NOT EXISTS routing_event_occurred ON routing_event (occurred_at);
