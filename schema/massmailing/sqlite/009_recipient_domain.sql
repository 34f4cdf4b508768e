-- Results per recipient domain (issue 13): the domain of each recipient's address, stored when
-- the row is written (SqlDialect::addressDomain, EmailAddress::domain), so that the results page
-- groups a million rows by an indexed column instead of cutting every address at query time.
-- The part after the last "@": rtrim keeps the text up to it, replace drops that prefix.
ALTER TABLE mm_recipients ADD COLUMN domain VARCHAR(320) NOT NULL DEFAULT '';
UPDATE mm_recipients SET domain = REPLACE(email, RTRIM(email, REPLACE(email, '@', '')), '') WHERE domain = '';
CREATE INDEX mm_recipients_domain ON mm_recipients (campaign_id, domain);
