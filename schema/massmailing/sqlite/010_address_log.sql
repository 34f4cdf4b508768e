-- One address's delivery log (R5) and what the user does from it: the test sends it received, the
-- campaigns sent to it again by hand, and a recipient row found by the address's identity.
-- email is stored trimmed (EmailAddress::normalize), so its identity is its ASCII letters lowered:
-- SQLite's LOWER lowers ASCII only, as SqlDialect::addressIdentity does.
ALTER TABLE mm_recipients ADD COLUMN email_identity VARCHAR(320) GENERATED ALWAYS AS (LOWER(email)) VIRTUAL;
CREATE INDEX mm_recipients_identity ON mm_recipients (email_identity);
-- Every test message sent, one row per address and test (C9, R5). address is the identity.
CREATE TABLE mm_test_sends (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    address VARCHAR(320) NOT NULL,
    sent_to VARCHAR(320) NOT NULL,
    sample VARCHAR(40) NOT NULL DEFAULT '',
    sent_at DATETIME NOT NULL
);
CREATE INDEX mm_test_sends_address ON mm_test_sends (group_id, address);
-- "Send this campaign to this person again" (R5): who asked, when, why, and where the row stood.
CREATE TABLE mm_resends (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    recipient_row INTEGER NOT NULL,
    address VARCHAR(320) NOT NULL,
    previous_status VARCHAR(16) NOT NULL,
    previous_detail VARCHAR(500) NOT NULL DEFAULT '',
    requested_by INTEGER NOT NULL,
    reason VARCHAR(500) NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX mm_resends_row ON mm_resends (recipient_row);
CREATE INDEX mm_resends_campaign ON mm_resends (campaign_id);
