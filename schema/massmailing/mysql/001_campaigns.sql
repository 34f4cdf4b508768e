-- The campaign, the module's central record. Its content, audience and delivery columns
-- come with the stages that use them.
CREATE TABLE mm_campaigns (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    channel VARCHAR(16) NOT NULL DEFAULT 'email',
    recipient_type VARCHAR(16) NOT NULL,
    name VARCHAR(200) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY mm_campaigns_group (group_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
