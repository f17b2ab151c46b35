-- Bulletins get a category (a warning about a live scam, a scam pattern explained in plain
-- words for /patterns, or a general notice), optional English text shown on English pages,
-- and the time they were last changed (for the Atom feed and the sitemap).
-- Existing rows were warnings, written once.

ALTER TABLE bulletins ADD COLUMN category TEXT NOT NULL DEFAULT 'warning'
    CHECK (category IN ('warning', 'pattern', 'notice'));
ALTER TABLE bulletins ADD COLUMN title_en TEXT
    CHECK (title_en IS NULL OR length(title_en) BETWEEN 1 AND 300);
ALTER TABLE bulletins ADD COLUMN body_en TEXT;
ALTER TABLE bulletins ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE bulletins SET updated_at = created_at WHERE updated_at = '';
CREATE INDEX bulletins_by_category ON bulletins (category, published_on DESC);
