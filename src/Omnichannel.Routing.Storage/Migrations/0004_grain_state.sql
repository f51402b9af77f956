-- Grain state of the engine's own storage (PostgresGrainStorage). One row per grain and state name; `version` is the
-- ETag: every write names the version it read and bumps it, so a write from a stale activation matches no row and
-- is refused alone. `payload` is the state in Orleans' binary format; NULL once the grain cleared it (the row and
-- its version stay, so a stale activation still cannot write over the clear).
-- The engine's events are appended to routing_event in the same statement as the write that commits them.
CREATE TABLE IF NOT EXISTS grain_state (
    grain_type  text        NOT NULL,
    grain_id    text        NOT NULL,
    state_name  text        NOT NULL,
    version     bigint      NOT NULL,
    payload     bytea,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_type, grain_id, state_name)
);
