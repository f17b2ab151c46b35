-- The staff side: accounts and roles, sessions, the audit log, the agents' contact log and
-- escalations to the security team. Written the same for PostgreSQL
-- (migrations/postgres/20261202000002_staff.sql). Times are RFC 3339 text in UTC.

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY,
    -- Lower-case; what the person types to sign in.
    login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 3 AND 64),
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    -- An argon2id PHC string: the algorithm, its parameters and salt travel with the hash.
    password_hash TEXT NOT NULL,
    -- Set for a one-time password (a new account, a reset): changed at the next sign-in.
    must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
    -- The second factor's secret (base32); confirmed once a code from it has been accepted.
    totp_secret TEXT,
    totp_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (totp_confirmed IN (0, 1)),
    -- The time step of the last accepted code: each code is accepted once.
    totp_last_step INTEGER,
    disabled_at TEXT,
    -- Wrong passwords or codes in a row, and until when the account refuses sign-in.
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE staff_roles (
    user_id INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('agent', 'analyst', 'publisher', 'admin')),
    PRIMARY KEY (user_id, role)
);

-- A session is known by the SHA-256 of its cookie's token: a copy of this table opens none.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    -- 'password': the first factor passed; 'full': both.
    stage TEXT NOT NULL CHECK (stage IN ('password', 'full')),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_sessions_by_user ON staff_sessions (user_id);

-- Failed sign-ins per client address, shared by every instance.
CREATE TABLE sign_in_failures (
    client TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_client ON sign_in_failures (client, at);

-- Append-only and tamper-evident: each entry's hash covers the previous entry's hash and
-- every field, so an edited, inserted or removed row breaks the chain (`server audit verify`).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    -- The staff user, and their login name at the time; none for a failed sign-in's stranger.
    actor_id INTEGER,
    actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    object TEXT NOT NULL DEFAULT '',
    before TEXT NOT NULL DEFAULT '',
    after TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- A customer contact an agent recorded. The pasted text is purged after the retention period;
-- what was found in it stays, so past contacts can still be found by domain, number or LINE ID.
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES staff_users (id),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'branch', 'chat', 'email')),
    customer_ref TEXT NOT NULL DEFAULT '' CHECK (length(customer_ref) <= 64),
    summary TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
    pasted_text TEXT CHECK (pasted_text IS NULL OR length(CAST(pasted_text AS BLOB)) <= 65536),
    -- The verdict the check gave when the contact was logged.
    verdict TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    purged_at TEXT
);
CREATE INDEX contacts_by_time ON contacts (created_at);

CREATE TABLE contact_subjects (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('host', 'phone', 'line_id')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    -- The registrable domain of a host, so a search by domain finds its subdomains.
    domain TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, kind, value)
);
CREATE INDEX contact_subjects_by_value ON contact_subjects (kind, value);
CREATE INDEX contact_subjects_by_domain ON contact_subjects (domain);

-- What agents sent to the security team: one row per link host, phone number or LINE ID;
-- a second escalation of a queued one merges into it and counts.
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('host', 'phone', 'line_id')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 253),
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'accepted', 'rejected', 'taken_down')),
    -- The verdict the public check gave when it was first escalated.
    verdict TEXT NOT NULL DEFAULT '',
    requests INTEGER NOT NULL DEFAULT 1,
    decided_by INTEGER REFERENCES staff_users (id),
    decision_note TEXT NOT NULL DEFAULT '' CHECK (length(decision_note) <= 1000),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One open escalation per subject; a decided one may be escalated afresh.
CREATE UNIQUE INDEX escalations_one_queued ON escalations (kind, value) WHERE status = 'queued';
CREATE INDEX escalations_by_status ON escalations (status, updated_at);

CREATE TABLE escalation_requests (
    escalation_id INTEGER NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES staff_users (id),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    contact_id INTEGER REFERENCES contacts (id),
    created_at TEXT NOT NULL
);
CREATE INDEX escalation_requests_by_agent ON escalation_requests (agent_id, created_at);
CREATE INDEX escalation_requests_by_escalation ON escalation_requests (escalation_id);

-- What an agent reads or pastes to a customer, per verdict and situation. Placeholders the
-- console fills: {firm}, {domain}, {hotline}, {date}. Admins edit them (audited); these
-- are the starting set.
CREATE TABLE reply_scripts (
    id INTEGER PRIMARY KEY,
    verdict TEXT NOT NULL CHECK (verdict IN ('official', 'fraud', 'suspicious', 'unknown')),
    situation_zh TEXT NOT NULL CHECK (length(situation_zh) BETWEEN 1 AND 200),
    situation_en TEXT NOT NULL CHECK (length(situation_en) BETWEEN 1 AND 200),
    body_zh TEXT NOT NULL CHECK (length(body_zh) BETWEEN 1 AND 2000),
    body_en TEXT NOT NULL CHECK (length(body_en) BETWEEN 1 AND 2000),
    position INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO reply_scripts (verdict, situation_zh, situation_en, body_zh, body_en, position, updated_at, updated_by) VALUES
    ('fraud', '客戶點了（或正要點）已知的假網站', 'The customer clicked or was about to click a known fake', '這個網址 {domain} 是冒用{firm}的假網站，我們已在處理下架。請不要點擊、不要登入，也不要輸入任何帳號密碼。如果您已經輸入過，請立刻變更密碼，並撥打{firm}客服 {hotline} 或 165 反詐騙專線。（{date}）', 'The address {domain} is a fake site imitating {firm}, and we are having it taken down. Please do not open it, sign in or enter any password. If you already did, change your password now and call {firm} at {hotline} or the 165 anti-fraud hotline. ({date})', 0, '2026-12-01T00:00:00Z', ''),
    ('fraud', '客戶已經輸入密碼或付了款', 'The customer already entered a password or paid', '請先不要再轉帳或操作。請立刻變更{firm}的登入密碼，並撥打 165 報案；我們也會協助您鎖定帳戶。請保留簡訊或對話的截圖作為證據。', 'Please stop any further transfer. Change your {firm} password right away and report it to the 165 anti-fraud hotline; we will help you lock the account. Keep screenshots of the message or chat as evidence.', 1, '2026-12-01T00:00:00Z', ''),
    ('suspicious', '仿冒的網址，或只是自稱是我們的訊息', 'A lookalike address or a message that only claims to be us', '這則訊息自稱是{firm}，但 {domain} 不是{firm}的網址。{firm}不會用簡訊或 LINE 傳連結要您登入。請不要點擊，我們已經請資安團隊查看。', 'This message says it is from {firm}, but {domain} is not one of {firm}''s addresses. {firm} never sends links by SMS or LINE asking you to sign in. Please do not open it; our security team is looking at it.', 2, '2026-12-01T00:00:00Z', ''),
    ('unknown', '不在任何名單上的網址', 'An address on no list', '我們的名單上沒有 {domain}，所以無法確認它是否安全。請不要在上面輸入帳號密碼。要登入{firm}，請直接開啟官方 App 或自行輸入官方網址。', '{domain} is on none of our lists, so we cannot say it is safe. Please do not enter any password there. To sign in to {firm}, open the official app or type the official address yourself.', 3, '2026-12-01T00:00:00Z', ''),
    ('official', '確實是我們的網址', 'The address really is ours', '{domain} 是{firm}的官方網址，可以放心使用。若仍有疑慮，請直接撥打{firm}客服 {hotline}。', '{domain} is an official {firm} address and safe to use. If in doubt, call {firm} at {hotline}.', 4, '2026-12-01T00:00:00Z', '');
