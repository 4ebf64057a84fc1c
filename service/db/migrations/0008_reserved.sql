-- Placeholder so that 0009 runs in this branch: version 0008 belongs to the audit
-- log's migration, merged from another branch. Drop this file when merging it.
SELECT 1;
