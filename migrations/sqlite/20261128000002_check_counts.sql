-- How often each host was checked, per verdict and Taiwan day: the only trace public
-- checks leave (never the pasted text, phone numbers or LINE IDs). Written in batches
-- from an in-memory tally, never on the check's own path.

CREATE TABLE check_counts (
    -- The host the check judged (ASCII, punycode for IDNs, or an IP address).
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    -- Its registrable domain, for totals per site; NULL for IP addresses.
    site TEXT CHECK (site IS NULL OR length(site) BETWEEN 1 AND 253),
    verdict TEXT NOT NULL CHECK (verdict IN ('official', 'unknown', 'suspicious', 'fraud')),
    day TEXT NOT NULL CHECK (length(day) = 10),
    checks INTEGER NOT NULL CHECK (checks > 0),
    PRIMARY KEY (host, verdict, day)
) WITHOUT ROWID;
CREATE INDEX check_counts_by_day ON check_counts (day, verdict);
