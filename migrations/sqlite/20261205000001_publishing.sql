-- Bulletin publishing (docs/publishing.md): a bulletin is one language version with its own
-- address, linked to its translation; it has a status, and readers see only published ones;
-- every save keeps a revision; an incident has a state and a timeline of dated updates;
-- templates for the bulletins the firm writes again and again; a setting that asks a second
-- publisher to approve.
--
-- SQLite cannot change a CHECK constraint in place, so `bulletins` is rebuilt. Its rows were
-- published, each with its Chinese text and perhaps an English one: each becomes a published
-- Chinese bulletin, and its English text an English bulletin of its own, linked to it. The
-- hosts table is dropped before the old bulletins (an implicit DELETE that then cascades to
-- nothing) and made again; the hosts are computed afresh at the next start.

CREATE TABLE bulletins_v2 (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
    language TEXT NOT NULL CHECK (language IN ('zh-TW', 'en')),
    -- For a translation, the bulletin it translates (each has at most one translation).
    translation_of INTEGER UNIQUE REFERENCES bulletins_v2 (id) ON DELETE SET NULL,
    category TEXT NOT NULL CHECK (category IN ('alert', 'notice', 'pattern', 'incident')),
    -- The text readers see once it is published: that of `published_revision`, or of the
    -- newest revision for a bulletin never published.
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    body TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 100000),
    -- The takedown targets the bulletin lists ("these fake sites were reported"), one a line.
    listed TEXT NOT NULL DEFAULT '' CHECK (length(listed) <= 20000),
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    -- When it was published, or is to be (RFC 3339, UTC); and the Taiwan date readers see.
    publish_at TEXT,
    published_on TEXT,
    -- An incident's state; only incidents have one.
    incident_state TEXT CHECK (incident_state IN ('investigating', 'identified', 'monitoring', 'resolved')),
    head_revision INTEGER,
    published_revision INTEGER,
    -- The revision the scheduler is to publish at `publish_at` (fixed when it was scheduled).
    scheduled_revision INTEGER,
    author TEXT NOT NULL DEFAULT '' CHECK (length(author) <= 64),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    hosts_indexed_at TEXT,
    CHECK (status NOT IN ('scheduled', 'published') OR (publish_at IS NOT NULL AND published_on IS NOT NULL)),
    CHECK ((category = 'incident') = (incident_state IS NOT NULL))
);

INSERT INTO bulletins_v2
    (id, slug, language, category, title, body, status, publish_at, published_on, incident_state,
     author, created_at, updated_at)
SELECT id, slug, 'zh-TW', CASE category WHEN 'warning' THEN 'alert' ELSE category END, title, body,
       'published', created_at, published_on, NULL, '', created_at, updated_at
FROM bulletins;

-- The English texts, as English bulletins at `{slug}-en` (or `…-en-{id}` where that is taken).
INSERT INTO bulletins_v2
    (slug, language, translation_of, category, title, body, status, publish_at, published_on,
     author, created_at, updated_at)
SELECT CASE WHEN length(b.slug) <= 97 AND NOT EXISTS (SELECT 1 FROM bulletins o WHERE o.slug = b.slug || '-en')
            THEN b.slug || '-en' ELSE substr(b.slug, 1, 80) || '-en-' || b.id END,
       'en', b.id, CASE b.category WHEN 'warning' THEN 'alert' ELSE b.category END, b.title_en,
       coalesce(b.body_en, ''), 'published', b.created_at, b.published_on, '', b.created_at, b.updated_at
FROM bulletins b
WHERE b.title_en IS NOT NULL AND trim(b.title_en) <> '' AND trim(coalesce(b.body_en, '')) <> '';

DROP TABLE bulletin_hosts;
DROP TABLE bulletins;
ALTER TABLE bulletins_v2 RENAME TO bulletins;
CREATE INDEX bulletins_published ON bulletins (status, language, pinned DESC, publish_at DESC);
CREATE INDEX bulletins_by_category ON bulletins (category, status, publish_at DESC);
CREATE INDEX bulletins_due ON bulletins (publish_at) WHERE status = 'scheduled';

CREATE TABLE bulletin_hosts (
    bulletin_id INTEGER NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    host TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    site TEXT NOT NULL CHECK (length(site) BETWEEN 1 AND 253),
    PRIMARY KEY (bulletin_id, host)
);
CREATE INDEX bulletin_hosts_by_host ON bulletin_hosts (host);
CREATE INDEX bulletin_hosts_by_site ON bulletin_hosts (site);

-- Every save of a bulletin's text, never changed afterwards; a restore is a new revision.
CREATE TABLE bulletin_revisions (
    id INTEGER PRIMARY KEY,
    bulletin_id INTEGER NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    body TEXT NOT NULL CHECK (length(body) <= 100000),
    listed TEXT NOT NULL DEFAULT '' CHECK (length(listed) <= 20000),
    author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 64),
    saved_at TEXT NOT NULL,
    restored_from INTEGER REFERENCES bulletin_revisions (id)
);
CREATE INDEX bulletin_revisions_of ON bulletin_revisions (bulletin_id, id DESC);

INSERT INTO bulletin_revisions (bulletin_id, title, body, author, saved_at)
SELECT id, title, body, 'migration', updated_at FROM bulletins;
UPDATE bulletins SET
    head_revision = (SELECT max(r.id) FROM bulletin_revisions r WHERE r.bulletin_id = bulletins.id),
    published_revision = (SELECT max(r.id) FROM bulletin_revisions r WHERE r.bulletin_id = bulletins.id);

-- An incident's timeline: updates appended one by one. `happened_at` is the time the update
-- speaks of, which may be earlier than `written_at` (written up after the fact).
CREATE TABLE incident_updates (
    id INTEGER PRIMARY KEY,
    bulletin_id INTEGER NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('investigating', 'identified', 'monitoring', 'resolved')),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    happened_at TEXT NOT NULL,
    written_at TEXT NOT NULL,
    author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 64)
);
CREATE INDEX incident_updates_of ON incident_updates (bulletin_id, happened_at, id);

-- Starting texts for the bulletins the firm writes again and again; `{{name}}` placeholders.
CREATE TABLE bulletin_templates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    category TEXT NOT NULL CHECK (category IN ('alert', 'notice', 'pattern', 'incident')),
    language TEXT NOT NULL CHECK (language IN ('zh-TW', 'en')),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    body TEXT NOT NULL CHECK (length(body) <= 100000),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO bulletin_templates (name, category, language, title, body, updated_by, updated_at) VALUES
('新假網站 New fake site', 'alert', 'zh-TW',
 '【重要提醒】發現假冒{{firm}}的網站 {{fake_host}}，請勿點擊',
 '近期有人架設假冒{{firm}}的網站：{{fake_host}}。' || char(10) || char(10) ||
 '- 請不要點擊這個網址，也不要輸入帳號密碼。' || char(10) ||
 '- 本公司的官方網址是 {{official_host}}。' || char(10) ||
 '- 有疑問時，請貼到本站查證，或撥打 165 反詐騙專線。' || char(10),
 'migration', '2026-12-05T00:00:00Z'),
('新詐騙樣態 New scam pattern', 'pattern', 'zh-TW',
 '{{pattern_name}}，是詐騙',
 '## 詐騙的說法' || char(10) || char(10) || '{{what_they_say}}' || char(10) || char(10) ||
 '## 您該怎麼做' || char(10) || char(10) ||
 '- 請不要點連結，也不要加 LINE。' || char(10) ||
 '- 請自己打開{{firm}}的官方 App，或撥打官方客服電話。' || char(10) ||
 '- 有疑問時，請撥打 165 反詐騙專線。' || char(10),
 'migration', '2026-12-05T00:00:00Z'),
('服務公告 Service notice', 'notice', 'zh-TW',
 '【服務公告】{{service}}{{what}}',
 '{{date}} {{time}} 起，{{service}}{{what}}。' || char(10) || char(10) ||
 '本公司不會因此以簡訊或 LINE 要您登入或提供密碼。' || char(10),
 'migration', '2026-12-05T00:00:00Z');

-- Publishing settings, one row: whether a second publisher must approve before anything is
-- published (off until an admin turns it on).
CREATE TABLE publishing_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    second_approval INTEGER NOT NULL DEFAULT 0 CHECK (second_approval IN (0, 1)),
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT ''
);
INSERT INTO publishing_settings (id) VALUES (1);

-- A request to publish a revision (now, or at `publish_at`) that waits for a second publisher.
CREATE TABLE bulletin_approvals (
    id INTEGER PRIMARY KEY,
    bulletin_id INTEGER NOT NULL REFERENCES bulletins (id) ON DELETE CASCADE,
    revision_id INTEGER NOT NULL REFERENCES bulletin_revisions (id) ON DELETE CASCADE,
    publish_at TEXT,
    requested_by INTEGER NOT NULL REFERENCES staff_users (id),
    requested_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES staff_users (id),
    decided_at TEXT,
    decision TEXT CHECK (decision IN ('approved', 'rejected', 'withdrawn')),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    CHECK ((decided_at IS NULL) = (decision IS NULL))
);
CREATE UNIQUE INDEX bulletin_approvals_one_open ON bulletin_approvals (bulletin_id) WHERE decided_at IS NULL;
