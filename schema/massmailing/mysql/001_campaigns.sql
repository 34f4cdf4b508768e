-- The campaign, the module's central record: who it goes to (group, channel, recipient
-- type, fixed once created), who it is from, what it says, and where it stands.
CREATE TABLE mm_campaigns (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    channel VARCHAR(16) NOT NULL DEFAULT 'email',
    recipient_type VARCHAR(16) NOT NULL,
    name VARCHAR(200) NOT NULL,
    sender_name VARCHAR(200) NOT NULL DEFAULT '',
    sender_email VARCHAR(320) NOT NULL DEFAULT '',
    reply_to VARCHAR(320) NOT NULL DEFAULT '',
    subject VARCHAR(500) NOT NULL DEFAULT '',
    subject_prefix VARCHAR(50) NOT NULL DEFAULT '',
    html MEDIUMTEXT NOT NULL,
    text_body MEDIUMTEXT NOT NULL,
    dedupe VARCHAR(16) NOT NULL DEFAULT 'address',
    forced_locale VARCHAR(8) NOT NULL DEFAULT '',
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    created_by BIGINT NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY mm_campaigns_group (group_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_campaign_versions (
    campaign_id BIGINT NOT NULL,
    locale VARCHAR(8) NOT NULL,
    subject VARCHAR(500) NOT NULL DEFAULT '',
    html MEDIUMTEXT NOT NULL,
    text_body MEDIUMTEXT NOT NULL,
    PRIMARY KEY (campaign_id, locale)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_attachments (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    filename VARCHAR(255) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size_bytes BIGINT NOT NULL,
    inline_id VARCHAR(100) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY mm_attachments_campaign (campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE mm_templates (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    name VARCHAR(200) NOT NULL,
    subject VARCHAR(500) NOT NULL DEFAULT '',
    html MEDIUMTEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY mm_templates_group (group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
