-- The security console's takedown database: the whole status lifecycle, the fields vendor
-- feeds and the 165 open data carry, one entry per (scope, target), and numbered versions of
-- the entry set that can be rolled back (docs/security.md). The twin of
-- migrations/sqlite/20261203000001_takedown_versions.sql.

ALTER TABLE takedown_entries DROP CONSTRAINT takedown_entries_status_check;
ALTER TABLE takedown_entries ADD CONSTRAINT takedown_entries_status_check
    CHECK (status IN ('detected', 'reported', 'takedown_requested', 'taken_down',
                      'monitoring', 'reactivated', 'false_positive', 'withdrawn'));
ALTER TABLE takedown_events DROP CONSTRAINT takedown_events_status_check;
ALTER TABLE takedown_events ADD CONSTRAINT takedown_events_status_check
    CHECK (status IN ('detected', 'reported', 'takedown_requested', 'taken_down',
                      'monitoring', 'reactivated', 'false_positive', 'withdrawn'));

UPDATE takedown_entries SET source = CASE source
    WHEN 'vendor_notice' THEN 'vendor_feed' WHEN 'open_data_165' THEN 'open_data_165'
    WHEN 'escalation' THEN 'escalation' WHEN 'public_report' THEN 'public_report'
    ELSE 'manual' END;
ALTER TABLE takedown_entries ADD CONSTRAINT takedown_entries_source_check
    CHECK (source IN ('vendor_feed', 'open_data_165', 'escalation', 'public_report', 'manual'));

UPDATE takedown_entries SET target = host WHERE target = '';
ALTER TABLE takedown_entries
    ADD COLUMN vendor TEXT NOT NULL DEFAULT '' CHECK (length(vendor) <= 100),
    ADD COLUMN brand TEXT NOT NULL DEFAULT '' CHECK (length(brand) <= 200),
    ADD COLUMN first_seen TEXT,
    ADD COLUMN last_seen TEXT,
    ADD COLUMN report_count BIGINT NOT NULL DEFAULT 1 CHECK (report_count >= 0),
    ADD COLUMN notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    ADD COLUMN changed_in BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN removed_in BIGINT,
    ADD CONSTRAINT takedown_entries_target_length CHECK (length(target) BETWEEN 1 AND 2048),
    ADD CONSTRAINT takedown_entries_url_length CHECK (length(url) BETWEEN 1 AND 2048),
    ADD CONSTRAINT takedown_entries_hosting_ip_length CHECK (hosting_ip IS NULL OR length(hosting_ip) BETWEEN 1 AND 45),
    ADD CONSTRAINT takedown_entries_alert_id_length CHECK (alert_id IS NULL OR length(alert_id) BETWEEN 1 AND 64),
    ADD CONSTRAINT takedown_entries_case_id_length CHECK (case_id IS NULL OR length(case_id) BETWEEN 1 AND 64);
UPDATE takedown_entries SET first_seen = listed_on, last_seen = listed_on;
ALTER TABLE takedown_entries ALTER COLUMN first_seen SET NOT NULL, ALTER COLUMN last_seen SET NOT NULL;

-- One entry per (scope, target): where older data listed the same target twice, the first stays.
DELETE FROM takedown_entries a USING takedown_entries b
WHERE a.scope = b.scope AND a.target = b.target AND a.id > b.id;
ALTER TABLE takedown_entries DROP CONSTRAINT takedown_entries_url_key;
ALTER TABLE takedown_entries ADD CONSTRAINT takedown_entries_scope_target_key UNIQUE (scope, target);
DROP INDEX takedown_entries_by_target;

CREATE INDEX takedown_entries_by_hosting_ip ON takedown_entries (hosting_ip);
CREATE INDEX takedown_entries_by_last_seen ON takedown_entries (last_seen, id);
-- What the security console searches, filters and sorts by; prefix search on hosts
-- (LIKE 'kgi%') needs the pattern operator class whatever the database's collation.
CREATE INDEX takedown_entries_by_listed ON takedown_entries (listed_on, id);
CREATE INDEX takedown_entries_by_status_listed ON takedown_entries (status, listed_on, id);
CREATE INDEX takedown_entries_by_alert ON takedown_entries (alert_id);
CREATE INDEX takedown_entries_by_case ON takedown_entries (case_id);
CREATE INDEX takedown_entries_by_host_prefix ON takedown_entries (host text_pattern_ops);

-- The staff login that made the change ('' for imports and the system).
ALTER TABLE takedown_events ADD COLUMN actor TEXT NOT NULL DEFAULT '' CHECK (length(actor) <= 64);

-- A numbered version of the takedown entry set: each import, edit or rollback makes one.
CREATE TABLE takedown_versions (
    version BIGINT PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor_id BIGINT REFERENCES staff_users (id),
    actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
    action TEXT NOT NULL CHECK (action IN ('baseline', 'import', 'edit', 'rollback')),
    origin TEXT NOT NULL DEFAULT '' CHECK (length(origin) <= 500),
    format TEXT NOT NULL DEFAULT '' CHECK (length(format) <= 20),
    added BIGINT NOT NULL DEFAULT 0,
    changed BIGINT NOT NULL DEFAULT 0,
    removed BIGINT NOT NULL DEFAULT 0,
    entries BIGINT NOT NULL,
    checksum TEXT NOT NULL CHECK (length(checksum) = 64),
    rolled_back_to BIGINT,
    forced BIGINT NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    -- When an instance first built a valid index from it: the versions an instance that finds
    -- the current data damaged at start-up may fall back to.
    verified_at TEXT
);

-- What each version did to each entry it touched, with the entry as it was before (JSON;
-- NULL when it was not in the active set): enough to rebuild any earlier version.
CREATE TABLE takedown_changes (
    version BIGINT NOT NULL REFERENCES takedown_versions (version),
    entry_id BIGINT NOT NULL REFERENCES takedown_entries (id),
    op TEXT NOT NULL CHECK (op IN ('add', 'change', 'remove')),
    before TEXT,
    PRIMARY KEY (version, entry_id)
);
CREATE INDEX takedown_changes_by_entry ON takedown_changes (entry_id, version);

-- Work that runs on a schedule, once across all instances: the instance that moves a job's
-- last start forward (from before its due time) runs it.
CREATE TABLE scheduled_jobs (
    job TEXT PRIMARY KEY CHECK (length(job) BETWEEN 1 AND 64),
    last_started TEXT NOT NULL
);
