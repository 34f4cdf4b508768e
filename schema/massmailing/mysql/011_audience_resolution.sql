-- Audience resolution at a million rows (issue 18): the duplicates of a campaign are found by
-- grouping its rows that are still in by key, which this index holds whole (the reason with the
-- key, the id with every index), so that no row is read or sorted again.
DROP INDEX mm_recipients_key ON mm_recipients;
CREATE INDEX mm_recipients_key ON mm_recipients (campaign_id, dedupe_key, reason);
-- The identity of each row's address (migration 010) costs its writing a chain of 26 REPLACE, as
-- much as the rest of the row: an address of ASCII characters only (as many bytes as characters)
-- takes LOWER, which lowers exactly A-Z there (SqlDialect::addressIdentity does the same).
ALTER TABLE mm_recipients MODIFY email_identity VARCHAR(320) AS (CASE WHEN LENGTH(email) = CHAR_LENGTH(email) THEN LOWER(email) ELSE REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(email, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z') END) VIRTUAL;
