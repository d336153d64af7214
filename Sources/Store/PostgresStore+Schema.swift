extension PostgresStore {
    /// The schema's history, named as SQLite's migrations are (one history, two dialects); each version is
    /// applied once, in order, in its own transaction, under an advisory lock so that workers starting together
    /// do not race.
    static let migrations: [(id: String, statements: [String])] = [
        (
            "v1: servers, credentials, pools, bios backups, audit",
            [
                """
                CREATE TABLE server (id text PRIMARY KEY, name text NOT NULL, bmc_address text, credential text,
                  ssh_host text, device_type text, confidence text, status text NOT NULL, tags text NOT NULL,
                  inventory text, updated_at timestamptz NOT NULL)
                """,
                """
                CREATE TABLE credential (name text PRIMARY KEY, username text, sealed bytea NOT NULL,
                  kind text NOT NULL, created timestamptz NOT NULL)
                """,
                "CREATE TABLE address_pool (name text PRIMARY KEY, addresses bytea NOT NULL)",
                """
                CREATE TABLE pool_assignment (pool text NOT NULL REFERENCES address_pool(name) ON DELETE CASCADE,
                  address bigint NOT NULL, server_id text NOT NULL, assigned_at timestamptz NOT NULL,
                  PRIMARY KEY (pool, address), UNIQUE (pool, server_id))
                """,
                """
                CREATE TABLE bios_backup (id bigserial PRIMARY KEY, bmc text NOT NULL, device_type text NOT NULL,
                  taken timestamptz NOT NULL, attributes text NOT NULL)
                """,
                "CREATE INDEX bios_backup_bmc ON bios_backup (bmc)",
                """
                CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL,
                  action text NOT NULL, target text NOT NULL, detail text NOT NULL)
                """,
            ]
        ),
        (
            "v2: workflows, steps, events",
            [
                """
                CREATE TABLE workflow (id text PRIMARY KEY, definition text NOT NULL, version integer NOT NULL,
                  server_id text NOT NULL, state text NOT NULL, input text NOT NULL, reason text, batch text,
                  owner text, heartbeat timestamptz, cancel_requested boolean NOT NULL DEFAULT false,
                  created timestamptz NOT NULL, updated timestamptz NOT NULL)
                """,
                "CREATE INDEX workflow_server ON workflow (server_id)",
                "CREATE INDEX workflow_state ON workflow (state)",
                "CREATE INDEX workflow_batch ON workflow (batch)",
                """
                CREATE TABLE step (workflow_id text NOT NULL REFERENCES workflow(id) ON DELETE CASCADE,
                  idx integer NOT NULL, name text NOT NULL, state text NOT NULL, attempt integer NOT NULL,
                  started timestamptz, finished timestamptz, output text, error text, PRIMARY KEY (workflow_id, idx))
                """,
                """
                CREATE TABLE event (seq bigserial PRIMARY KEY, workflow_id text NOT NULL, step text,
                  kind text NOT NULL, percent double precision, message text NOT NULL, at timestamptz NOT NULL)
                """,
                "CREATE INDEX event_workflow ON event (workflow_id, seq)",
            ]
        ),
        ("v3: servers know their MAAS machine", ["ALTER TABLE server ADD COLUMN maas_system_id text"]),
        (
            "v4: API tokens",
            [
                """
                CREATE TABLE api_token (id text PRIMARY KEY, name text NOT NULL, scope text NOT NULL,
                  digest text NOT NULL UNIQUE, created timestamptz NOT NULL, revoked timestamptz)
                """
            ]
        ),
        (
            "v5: API token expiry and last use",
            [
                "ALTER TABLE api_token ADD COLUMN expires timestamptz",
                "ALTER TABLE api_token ADD COLUMN last_used timestamptz",
            ]
        ),
        (
            "v6: credential bindings",
            [
                "ALTER TABLE credential ADD COLUMN allowed text NOT NULL DEFAULT '[]'",
                "ALTER TABLE credential ADD COLUMN allow_plain_http boolean NOT NULL DEFAULT false",
            ]
        ),
        (
            "v7: workflow lease epochs",
            ["ALTER TABLE workflow ADD COLUMN lease_epoch integer NOT NULL DEFAULT 0"]
        ),
        (
            "v8: BMC locks",
            [
                """
                CREATE TABLE bmc_lock (bmc_key text PRIMARY KEY, holder text, workflow_id text, step text,
                  token bigint NOT NULL, acquired timestamptz, expires timestamptz)
                """,
                "CREATE INDEX bmc_lock_holder ON bmc_lock (holder)",
            ]
        ),
        (
            // Listings page newest first (created DESC, id) in the database, whole or by server, state, batch or
            // definition; pruning finds finished runs by state and last update, and their progress events by kind.
            "v9: history indexes",
            [
                "CREATE INDEX workflow_created ON workflow (created DESC, id)",
                "CREATE INDEX workflow_server_created ON workflow (server_id, created DESC, id)",
                "CREATE INDEX workflow_state_created ON workflow (state, created DESC, id)",
                "CREATE INDEX workflow_batch_created ON workflow (batch, created DESC, id)",
                "CREATE INDEX workflow_definition_created ON workflow (definition, created DESC, id)",
                "CREATE INDEX workflow_state_updated ON workflow (state, updated)",
                "CREATE INDEX event_kind_workflow ON event (kind, workflow_id)",
            ]
        ),
        (
            // One row per check, never updated: the newest per server is the drift report, the rest its history.
            "v10: drift checks",
            [
                """
                CREATE TABLE drift (id bigserial PRIMARY KEY, server_id text NOT NULL, checked_at timestamptz NOT NULL,
                  device_type text, state text NOT NULL, detail text NOT NULL)
                """,
                "CREATE INDEX drift_server ON drift (server_id, id)",
            ]
        ),
    ]
}
