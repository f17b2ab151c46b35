-- Kill switches: a detector listed here with enabled = 0 is skipped by every check (and
-- every answer says so). Changing a switch bumps data_version, so all instances pick it
-- up within one refresh interval, without a restart.

CREATE TABLE detector_switches (
    detector TEXT PRIMARY KEY NOT NULL
        CHECK (detector IN ('takedown', 'official', 'lookalike', 'confusable', 'raw_ip', 'shortener',
                            'phone', 'line_id', 'scam_wording')),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    changed_at TEXT NOT NULL
);
