-- Grain state for Microsoft.Orleans.Persistence.AdoNet (AddAdoNetGrainStorage).
--
-- The provider's contract, which this file is written against:
--   * At start it loads the rows of orleansquery with keys WriteToStorageKey, ReadFromStorageKey and ClearStorageKey
--     (required) and DeleteStorageKey (needed only with DeleteStateOnClear = true).
--   * Every query gets the same identity parameters: @ServiceId; @GrainTypeString, which is the state's name
--     ([PersistentState("name")]), not the grain class; the grain key as @GrainIdN0/@GrainIdN1 (bigint: a Guid split in
--     two halves, or 0 and an integer key) and @GrainIdExtensionString (the key extension, or the whole key of a
--     string-keyed grain, or null); and @GrainIdHash/@GrainTypeHash, int hashes of the key and of the state name
--     computed by the provider so that the database can index narrow columns.
--   * ETags are the integer @GrainStateVersion: null when the grain believes no row exists. A write or clear succeeds
--     only if the stored version still equals it and answers the new version; any other answer (no row, null, the
--     same version) makes the provider throw InconsistentStateException.
--   * The read answers zero or one row with columns PayloadBinary (bytea, null once cleared) and Version.
--
-- The provider does not put the storage provider's name into the identity: two providers pointed at this database
-- share rows for the same service, state name and key.

CREATE TABLE orleans_grain_state (
    service_id         text        NOT NULL,
    grain_id_hash      integer     NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text,
    payload            bytea,
    version            integer     NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per grain state. The hashes lead so that the index is searched on two integers first; the natural key
-- follows so that a hash collision can never merge two grains. NULLS NOT DISTINCT (PostgreSQL 15+) makes a key
-- without extension unique too, which is what lets a first write detect a concurrent first write.
CREATE UNIQUE INDEX orleans_grain_state_identity
    ON orleans_grain_state (grain_id_hash, grain_type_hash, service_id, grain_type, grain_id_n0, grain_id_n1,
                            grain_id_extension) NULLS NOT DISTINCT;

-- Versions wrap rather than overflow: a grain written a thousand times a second passes 2^31 in under a month, and an
-- ETag only has to differ from the one a writer read a moment ago.
CREATE FUNCTION orleans_grain_state_next_version(current_version integer)
RETURNS integer
LANGUAGE sql IMMUTABLE
AS $function$
    SELECT CASE WHEN current_version >= 2147483647 THEN 1 ELSE current_version + 1 END
$function$;

-- Writes a state if the caller's ETag is current; answers the new version, or null when it is not.
CREATE FUNCTION orleans_grain_state_write(
    p_service_id         text,
    p_grain_id_hash      integer,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_seen_version       integer,
    p_payload            bytea)
RETURNS integer
LANGUAGE plpgsql
AS $function$
DECLARE
    written_version integer;
BEGIN
    IF p_seen_version IS NULL THEN
        -- First write of this state: it exists only if no other activation created it first.
        INSERT INTO orleans_grain_state (service_id, grain_id_hash, grain_type_hash, grain_type, grain_id_n0,
                                         grain_id_n1, grain_id_extension, payload, version)
        VALUES (p_service_id, p_grain_id_hash, p_grain_type_hash, p_grain_type, p_grain_id_n0, p_grain_id_n1,
                p_grain_id_extension, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO written_version;
        RETURN written_version;
    END IF;

    UPDATE orleans_grain_state
       SET payload = p_payload,
           version = orleans_grain_state_next_version(version),
           modified_at = now()
     WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
       AND service_id = p_service_id AND grain_type = p_grain_type
       AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
       AND version = p_seen_version
    RETURNING version INTO written_version;
    RETURN written_version;
END;
$function$;

-- Clears a state, keeping its row and moving its version on, so that a writer holding the old ETag still conflicts.
CREATE FUNCTION orleans_grain_state_clear(
    p_service_id         text,
    p_grain_id_hash      integer,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_seen_version       integer)
RETURNS integer
LANGUAGE sql
AS $function$
    UPDATE orleans_grain_state
       SET payload = NULL,
           version = orleans_grain_state_next_version(version),
           modified_at = now()
     WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
       AND service_id = p_service_id AND grain_type = p_grain_type
       AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
       AND version = p_seen_version
    RETURNING version
$function$;

-- Deletes a state's row (DeleteStateOnClear = true). The provider only needs an answer that differs from the ETag it
-- sent, so a successful delete answers the version the row would have had next; a stale ETag answers null.
CREATE FUNCTION orleans_grain_state_delete(
    p_service_id         text,
    p_grain_id_hash      integer,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_seen_version       integer)
RETURNS integer
LANGUAGE sql
AS $function$
    DELETE FROM orleans_grain_state
     WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
       AND service_id = p_service_id AND grain_type = p_grain_type
       AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
       AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
       AND version = p_seen_version
    RETURNING orleans_grain_state_next_version(version)
$function$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $query$
SELECT payload AS "PayloadBinary", version AS "Version"
  FROM orleans_grain_state
 WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
   AND service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
$query$),

('WriteToStorageKey', $query$
SELECT orleans_grain_state_write(
    p_service_id => @ServiceId, p_grain_id_hash => @GrainIdHash, p_grain_type_hash => @GrainTypeHash,
    p_grain_type => @GrainTypeString, p_grain_id_n0 => @GrainIdN0, p_grain_id_n1 => @GrainIdN1,
    p_grain_id_extension => @GrainIdExtensionString, p_seen_version => @GrainStateVersion,
    p_payload => @PayloadBinary) AS "NewGrainStateVersion"
$query$),

('ClearStorageKey', $query$
SELECT orleans_grain_state_clear(
    p_service_id => @ServiceId, p_grain_id_hash => @GrainIdHash, p_grain_type_hash => @GrainTypeHash,
    p_grain_type => @GrainTypeString, p_grain_id_n0 => @GrainIdN0, p_grain_id_n1 => @GrainIdN1,
    p_grain_id_extension => @GrainIdExtensionString, p_seen_version => @GrainStateVersion) AS "NewGrainStateVersion"
$query$),

('DeleteStorageKey', $query$
SELECT orleans_grain_state_delete(
    p_service_id => @ServiceId, p_grain_id_hash => @GrainIdHash, p_grain_type_hash => @GrainTypeHash,
    p_grain_type => @GrainTypeString, p_grain_id_n0 => @GrainIdN0, p_grain_id_n1 => @GrainIdN1,
    p_grain_id_extension => @GrainIdExtensionString, p_seen_version => @GrainStateVersion) AS "NewGrainStateVersion"
$query$);
