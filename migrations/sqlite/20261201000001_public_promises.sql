-- The public check's promises (issue "The public check keeps its promises").

-- A new detector, `firm_message`: messages that speak as the firm make what in them is not
-- the firm's suspicious. SQLite cannot change a CHECK constraint, so the table is rebuilt.
CREATE TABLE detector_switches_new (
    detector TEXT PRIMARY KEY NOT NULL
        CHECK (detector IN ('takedown', 'official', 'lookalike', 'confusable', 'raw_ip', 'shortener',
                            'phone', 'line_id', 'scam_wording', 'firm_message')),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    changed_at TEXT NOT NULL
);
INSERT INTO detector_switches_new (detector, enabled, changed_at)
SELECT detector, enabled, changed_at FROM detector_switches;
DROP TABLE detector_switches;
ALTER TABLE detector_switches_new RENAME TO detector_switches;

-- The hosts each bulletin names, computed when the bulletin is written (not on every page
-- view), so a domain page finds its bulletins with one indexed look-up.
CREATE TABLE bulletin_hosts (
    bulletin_id INTEGER NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    -- The registrable domain; the host itself for an IP address.
    site TEXT NOT NULL CHECK (length(site) BETWEEN 1 AND 253),
    PRIMARY KEY (bulletin_id, host)
);
CREATE INDEX bulletin_hosts_by_host ON bulletin_hosts (host);
CREATE INDEX bulletin_hosts_by_site ON bulletin_hosts (site);
-- When the hosts of a bulletin were last computed; NULL for bulletins written before this
-- table existed, which the server computes once at start-up.
ALTER TABLE bulletins ADD COLUMN hosts_indexed_at TEXT;

-- The registrable domain of each listed host (the address itself for an IP), so a domain
-- page finds the listings of its whole site with an indexed look-up instead of a scan.
-- Existing rows get it from the server at start-up (the Public Suffix List is not in SQL).
ALTER TABLE takedown_entries ADD COLUMN site TEXT CHECK (site IS NULL OR length(site) BETWEEN 1 AND 253);
CREATE INDEX takedown_entries_by_site ON takedown_entries (site);

-- The order a report's links were written in, for its receipt (rowid is SQLite's own).
ALTER TABLE report_links ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- What the last demo load wrote, so `server demo` can tell demo data from the firm's own
-- before deleting anything.
CREATE TABLE demo_loads (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- A summary of the firm data right after the load (counts, newest ids and times).
    fingerprint TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

-- Privacy: public checks now count per registrable domain (phishing kits put victims' IDs
-- and phone numbers in subdomains). Counts kept under a longer host fold into its site.
INSERT INTO check_counts (host, site, verdict, day, checks)
SELECT site, site, verdict, day, sum(checks) FROM check_counts
WHERE site IS NOT NULL AND host <> site
GROUP BY site, verdict, day
ON CONFLICT (host, verdict, day) DO UPDATE SET checks = checks + excluded.checks;
DELETE FROM check_counts WHERE site IS NOT NULL AND host <> site;
