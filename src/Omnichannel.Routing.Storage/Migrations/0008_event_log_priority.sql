-- Interval reports give the longest wait per priority: each interaction event carries the interaction's base
-- priority (null on rows written before this migration, which reports count as priority 0).
ALTER TABLE routing_event ADD COLUMN IF NOT EXISTS priority integer;
