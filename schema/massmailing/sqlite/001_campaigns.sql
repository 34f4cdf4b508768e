-- The campaign, the module's central record. Its content, audience and delivery columns
-- come with the stages that use them.
CREATE TABLE mm_campaigns (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES host_groups (id),
    channel VARCHAR(16) NOT NULL DEFAULT 'email',
    recipient_type VARCHAR(16) NOT NULL,
    name VARCHAR(200) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX mm_campaigns_group ON mm_campaigns (group_id, status);
