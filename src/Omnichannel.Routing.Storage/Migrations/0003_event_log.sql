-- The engine's event log (contract §4): every state change of every interaction, agent presence and activity changes,
-- configuration changes and supervisor actions, in order per subject, with who caused it. Append-only.
CREATE TABLE IF NOT EXISTS routing_event (
    position     bigserial   PRIMARY KEY,             -- global order of recording
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    occurred_at  timestamptz NOT NULL,
    subject      text        NOT NULL,                -- Interaction, Agent, Queue, Configuration
    subject_id   text        NOT NULL,
    sequence     bigint      NOT NULL,                -- order within the subject
    type         text        NOT NULL,
    interaction_id text,
    agent_id     text,
    queue_id     text,
    actor_kind   text        NOT NULL,
    actor_id     text        NOT NULL,
    from_state   text,
    to_state     text,
    detail       text,
    -- A retry after a failed state write reuses its sequence numbers: the first recording wins.
    CONSTRAINT routing_event_subject_sequence UNIQUE (subject, subject_id, sequence)
);

CREATE INDEX IF NOT EXISTS routing_event_agent ON routing_event (agent_id, occurred_at) WHERE agent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS routing_event_queue ON routing_event (queue_id, occurred_at) WHERE queue_id IS NOT NULL;

-- The latest recorded state of each interaction, maintained with every append: what recovery reads to find the
-- interactions a queue must wait on again and the agents whose timers must run again after a restart.
CREATE TABLE IF NOT EXISTS routing_interaction_state (
    interaction_id text        PRIMARY KEY,
    sequence       bigint      NOT NULL,
    state          text        NOT NULL,
    queue_id       text,
    agent_id       text,
    updated_at     timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS routing_interaction_state_waiting ON routing_interaction_state (queue_id) WHERE state = 'Queued';
CREATE INDEX IF NOT EXISTS routing_interaction_state_open ON routing_interaction_state (agent_id) WHERE state NOT IN ('Completed', 'Abandoned');
