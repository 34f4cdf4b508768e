-- What the user loaded into a campaign's audience, in order (A3, A5, A11): targets of a
-- recipient loader, typed or imported addresses, and exclusions.
CREATE TABLE mm_audience_sources (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    action VARCHAR(8) NOT NULL,
    source VARCHAR(16) NOT NULL,
    target_id VARCHAR(100) NOT NULL DEFAULT '',
    params TEXT NOT NULL,
    label VARCHAR(300) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY mm_audience_sources_campaign (campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_audience_addresses (
    source_id BIGINT NOT NULL,
    line INT NOT NULL,
    address VARCHAR(320) NOT NULL,
    first_name VARCHAR(100) NOT NULL DEFAULT '',
    last_name VARCHAR(100) NOT NULL DEFAULT '',
    PRIMARY KEY (source_id, line)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_audience_unchecked (
    campaign_id BIGINT NOT NULL,
    recipient_key VARCHAR(340) NOT NULL,
    PRIMARY KEY (campaign_id, recipient_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_audience_exclusions (
    campaign_id BIGINT NOT NULL,
    email VARCHAR(320) NOT NULL,
    recipient_key VARCHAR(340) NOT NULL,
    KEY mm_audience_exclusions_email (campaign_id, email),
    KEY mm_audience_exclusions_key (campaign_id, recipient_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_address_blocks (
    address VARCHAR(320) PRIMARY KEY,
    reason VARCHAR(16) NOT NULL,
    detail VARCHAR(500) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_recipients (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    source_id BIGINT NOT NULL,
    kind VARCHAR(8) NOT NULL,
    recipient_id BIGINT NOT NULL,
    email VARCHAR(320) NOT NULL,
    first_name VARCHAR(100) NOT NULL DEFAULT '',
    last_name VARCHAR(100) NOT NULL DEFAULT '',
    company VARCHAR(200) NOT NULL DEFAULT '',
    locale VARCHAR(8) NOT NULL DEFAULT '',
    dedupe_key VARCHAR(340) NOT NULL,
    status VARCHAR(16) NOT NULL,
    reason VARCHAR(16) NOT NULL DEFAULT '',
    sent_at DATETIME NULL,
    KEY mm_recipients_campaign (campaign_id, status, reason),
    KEY mm_recipients_key (campaign_id, dedupe_key),
    KEY mm_recipients_email (campaign_id, email),
    KEY mm_recipients_who (campaign_id, kind, recipient_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
ALTER TABLE mm_campaigns ADD COLUMN control_group_percent INT NOT NULL DEFAULT 0;
