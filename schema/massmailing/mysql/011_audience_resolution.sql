-- Audience resolution at a million rows (issue 18): the duplicates of a campaign are found by
-- grouping its rows that are still in by key, which this index holds whole (the reason with the
-- key, the id with every index), so that no row is read or sorted again.
DROP INDEX mm_recipients_key ON mm_recipients;
CREATE INDEX mm_recipients_key ON mm_recipients (campaign_id, dedupe_key, reason);
