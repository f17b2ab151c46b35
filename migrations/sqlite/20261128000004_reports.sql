-- Public reports of a suspicious link or message, kept for the security team's triage
-- until the security console exists. The reported text is what the reporter chose to
-- send us (the form asks for no personal data); the links found in it are kept one row
-- each so the team can count reports per host and per registrable domain.

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    -- What the reporter is shown and can quote: eight Crockford base-32 characters, XXXX-XXXX.
    reference TEXT NOT NULL UNIQUE CHECK (length(reference) = 9),
    -- At most the check's 64 KB paste limit, counted in bytes.
    text TEXT NOT NULL CHECK (length(CAST(text AS BLOB)) BETWEEN 1 AND 65536),
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'line', 'email', 'website', 'phone', 'other')),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'reviewing', 'closed')),
    created_at TEXT NOT NULL
);
CREATE INDEX reports_by_status ON reports (status, created_at);

CREATE TABLE report_links (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    -- The registrable domain (kgi357.com for kkpp.kgi357.com); the host itself for an IP address.
    domain TEXT NOT NULL CHECK (length(domain) BETWEEN 1 AND 253),
    PRIMARY KEY (report_id, host)
);
CREATE INDEX report_links_by_host ON report_links (host);
CREATE INDEX report_links_by_domain ON report_links (domain);
