-- The first tables: the firm and its official channels, the takedown database,
-- the fraud bulletins, and the data version a check reports with its answer.

CREATE TABLE firm (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name_zh TEXT NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
    name_en TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100)
);

-- Words that name the firm; a link that uses them without being official imitates it.
CREATE TABLE brand_keywords (
    keyword TEXT PRIMARY KEY NOT NULL CHECK (length(keyword) BETWEEN 1 AND 64)
);

-- The official list: the most sensitive data in the system (a wrong row calls a fake real).
CREATE TABLE official_entries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('domain', 'phone', 'line_id', 'app')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    label_zh TEXT NOT NULL DEFAULT '',
    label_en TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (kind, value)
);

CREATE TABLE takedown_entries (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    hosting_ip TEXT,
    source TEXT NOT NULL,
    alert_id TEXT,
    case_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('detected', 'takedown_requested', 'taken_down', 'reactivated')),
    listed_on TEXT NOT NULL,
    status_changed_at TEXT NOT NULL
);
CREATE INDEX takedown_entries_by_host ON takedown_entries (host);

CREATE TABLE bulletins (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    body TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX bulletins_by_date ON bulletins (published_on DESC);

-- One row: bumped by every write to the data a check uses, so that every app
-- instance can tell when to rebuild its in-memory index.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO data_version (id, version, updated_at) VALUES (1, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
