-- One address's delivery log (R5) and what the user does from it: the test sends it received, the
-- campaigns sent to it again by hand, and a recipient row found by the address's identity.
-- email is stored trimmed (EmailAddress::normalize), so its identity is its ASCII letters lowered,
-- spelled out as SqlDialect::addressIdentity does (MariaDB's LOWER is Unicode's).
ALTER TABLE mm_recipients ADD COLUMN email_identity VARCHAR(320) AS (REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(email, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z')) VIRTUAL;
CREATE INDEX mm_recipients_identity ON mm_recipients (email_identity);
-- Every test message sent, one row per address and test (C9, R5). address is the identity.
CREATE TABLE mm_test_sends (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL,
    address VARCHAR(320) NOT NULL,
    sent_to VARCHAR(320) NOT NULL,
    sample VARCHAR(40) NOT NULL DEFAULT '',
    sent_at DATETIME NOT NULL,
    INDEX mm_test_sends_address (group_id, address)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- "Send this campaign to this person again" (R5): who asked, when, why, and where the row stood.
CREATE TABLE mm_resends (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    recipient_row BIGINT NOT NULL,
    address VARCHAR(320) NOT NULL,
    previous_status VARCHAR(16) NOT NULL,
    previous_detail VARCHAR(500) NOT NULL DEFAULT '',
    requested_by BIGINT NOT NULL,
    reason VARCHAR(500) NOT NULL,
    created_at DATETIME NOT NULL,
    INDEX mm_resends_row (recipient_row),
    INDEX mm_resends_campaign (campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
