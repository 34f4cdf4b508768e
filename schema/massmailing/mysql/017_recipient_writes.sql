-- Writing a campaign's rows (issue 18): each secondary index of mm_recipients is written for every
-- row, and those on an address are written out of order, so they cost most. A resolution decides
-- every reason as it writes (Audience::resolve): nothing looks rows up by key any more, and an
-- earlier source's row of the same address is found by its identity, which the index on the
-- identity now holds with the campaign. A campaign's row of an address is found the same way
-- (the unsubscribe link, Audience::recipient): the index on (campaign_id, email) goes too.
DROP INDEX mm_recipients_key ON mm_recipients;
DROP INDEX mm_recipients_email ON mm_recipients;
DROP INDEX mm_recipients_identity ON mm_recipients;
CREATE INDEX mm_recipients_identity ON mm_recipients (email_identity, campaign_id);
