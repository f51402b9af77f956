-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet (silos) and its gateway list provider (clients).
--
-- The provider's contract, which this file is written against:
--   * At start it runs `SELECT QueryKey, QueryText FROM OrleansQuery` and refuses to start ("Not all required queries
--     found") unless every key it knows is present. That statement is unquoted, so PostgreSQL looks for a table
--     `orleansquery` with columns `querykey` and `querytext`; the names below are fixed by that, nothing else is.
--   * It binds parameters by name: @DeploymentId (the ClusterId), @Address/@Port/@Generation (one silo), @SiloName,
--     @HostName, @Status (SiloStatus as int: 3 = Active, 6 = Dead), @ProxyPort (0 = no gateway), @StartTime and
--     @IAmAliveTime (DateTime in UTC, sent as timestamptz), @SuspectTimes (text, may be null), @Version (int).
--   * It reads columns by name (case-insensitively), so every query aliases its columns to those names.
--   * Membership reads must always return the cluster's version row, with null silo columns when there is no silo:
--     the provider takes the table version from the first row and treats a null StartTime as "no member".
--   * @Version on insert and update is the table version the silo last read (TableVersion.Next() keeps the old etag).
--     A write succeeds only while the version is still that, and then increments it; otherwise it answers false and
--     the silo re-reads and retries. That is the whole optimistic-concurrency protocol of membership.

-- The provider's catalogue of queries; later migrations add their own rows.
CREATE TABLE orleansquery (
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

-- One row per cluster: the membership table version that every membership change must name and increment.
CREATE TABLE orleans_cluster (
    cluster_id         text        PRIMARY KEY,
    version            integer     NOT NULL DEFAULT 0,
    version_changed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port and generation identify it across restarts).
CREATE TABLE orleans_cluster_silo (
    cluster_id      text        NOT NULL REFERENCES orleans_cluster (cluster_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    -- "silo,time|silo,time" as the provider formats it; the provider parses it back, the database never does.
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- Adds a silo if the caller's view of the table is current. Locking the version row first serialises every
-- membership write of a cluster, so a concurrent writer that read the same version waits here and then fails.
CREATE FUNCTION orleans_cluster_silo_insert(
    p_cluster_id      text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_seen_version    integer)
RETURNS boolean
LANGUAGE plpgsql
AS $function$
BEGIN
    PERFORM 1 FROM orleans_cluster
     WHERE cluster_id = p_cluster_id AND version = p_seen_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_cluster_silo (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                      start_time, i_am_alive_time)
    VALUES (p_cluster_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
            p_start_time, p_i_am_alive_time)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        -- The same incarnation is already listed: nothing changed, so the version stays as it was.
        RETURN false;
    END IF;

    UPDATE orleans_cluster SET version = version + 1, version_changed_at = now() WHERE cluster_id = p_cluster_id;
    RETURN true;
END;
$function$;

-- Changes a silo's status and suspicions under the same rule as the insert.
CREATE FUNCTION orleans_cluster_silo_update(
    p_cluster_id      text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_seen_version    integer)
RETURNS boolean
LANGUAGE plpgsql
AS $function$
BEGIN
    PERFORM 1 FROM orleans_cluster
     WHERE cluster_id = p_cluster_id AND version = p_seen_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_cluster_silo
       SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
     WHERE cluster_id = p_cluster_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_cluster SET version = version + 1, version_changed_at = now() WHERE cluster_id = p_cluster_id;
    RETURN true;
END;
$function$;

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Run by every silo at start; answers whether this call created the cluster's version row.
('InsertMembershipVersionKey', $query$
WITH created AS (
    INSERT INTO orleans_cluster (cluster_id) VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING cluster_id
)
SELECT EXISTS (SELECT 1 FROM created)
$query$),

('InsertMembershipKey', $query$
SELECT orleans_cluster_silo_insert(
    p_cluster_id => @DeploymentId, p_address => @Address, p_port => @Port, p_generation => @Generation,
    p_silo_name => @SiloName, p_host_name => @HostName, p_status => @Status, p_proxy_port => @ProxyPort,
    p_start_time => @StartTime, p_i_am_alive_time => @IAmAliveTime, p_seen_version => @Version)
$query$),

('UpdateMembershipKey', $query$
SELECT orleans_cluster_silo_update(
    p_cluster_id => @DeploymentId, p_address => @Address, p_port => @Port, p_generation => @Generation,
    p_status => @Status, p_suspect_times => @SuspectTimes, p_i_am_alive_time => @IAmAliveTime,
    p_seen_version => @Version)
$query$),

-- Heartbeats are not versioned: they change no membership decision, and versioning them would make every
-- heartbeat conflict with every status change.
('UpdateIAmAlivetimeKey', $query$
UPDATE orleans_cluster_silo
   SET i_am_alive_time = @IAmAliveTime
 WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$query$),

('MembershipReadRowKey', $query$
SELECT c.version         AS "Version",
       s.address         AS "Address",
       s.port            AS "Port",
       s.generation      AS "Generation",
       s.silo_name       AS "SiloName",
       s.host_name       AS "HostName",
       s.status          AS "Status",
       s.proxy_port      AS "ProxyPort",
       s.suspect_times   AS "SuspectTimes",
       s.start_time      AS "StartTime",
       s.i_am_alive_time AS "IAmAliveTime"
  FROM orleans_cluster c
  LEFT JOIN orleans_cluster_silo s
         ON s.cluster_id = c.cluster_id AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
 WHERE c.cluster_id = @DeploymentId
$query$),

('MembershipReadAllKey', $query$
SELECT c.version         AS "Version",
       s.address         AS "Address",
       s.port            AS "Port",
       s.generation      AS "Generation",
       s.silo_name       AS "SiloName",
       s.host_name       AS "HostName",
       s.status          AS "Status",
       s.proxy_port      AS "ProxyPort",
       s.suspect_times   AS "SuspectTimes",
       s.start_time      AS "StartTime",
       s.i_am_alive_time AS "IAmAliveTime"
  FROM orleans_cluster c
  LEFT JOIN orleans_cluster_silo s ON s.cluster_id = c.cluster_id
 WHERE c.cluster_id = @DeploymentId
 ORDER BY s.address, s.port, s.generation
$query$),

-- Clients ask with @Status = 3 (Active); a silo that is not a gateway has ProxyPort 0.
('GatewaysQueryKey', $query$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
  FROM orleans_cluster_silo
 WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0
 ORDER BY address, proxy_port
$query$),

('DeleteMembershipTableEntriesKey', $query$
DELETE FROM orleans_cluster WHERE cluster_id = @DeploymentId
$query$),

-- Bulk clean-up of silos not heard from since @IAmAliveTime. Active silos are never removed here: a live member
-- with a stale heartbeat is for the membership protocol to declare dead, not for a clean-up job to erase.
('CleanupDefunctSiloEntriesKey', $query$
DELETE FROM orleans_cluster_silo
 WHERE cluster_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$query$),

-- Optional key: when present the provider prefers it, deleting one dead silo at a time and only if the row still
-- holds exactly what the provider saw (status Dead, times and suspicions unchanged), so it never removes a row that
-- another silo changed in the meantime.
('CleanupDefunctSiloEntryKey', $query$
DELETE FROM orleans_cluster_silo
 WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
   AND status = 6
   AND start_time = @StartTime
   AND i_am_alive_time = @IAmAliveTime
   AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$query$);
