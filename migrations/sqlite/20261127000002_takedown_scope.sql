-- How much each takedown entry covers (one page, a path, a host, a whole registrable
-- domain, an IP address or a network) and the target that scope applies to.
-- Existing rows covered their whole host, as the first index matched them.

ALTER TABLE takedown_entries ADD COLUMN scope TEXT NOT NULL DEFAULT 'host'
    CHECK (scope IN ('url', 'path_prefix', 'host', 'registrable_domain', 'ip', 'cidr'));
ALTER TABLE takedown_entries ADD COLUMN target TEXT NOT NULL DEFAULT '';
UPDATE takedown_entries SET target = host WHERE target = '';
CREATE INDEX takedown_entries_by_target ON takedown_entries (scope, target);
