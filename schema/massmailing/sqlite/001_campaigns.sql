-- The campaign, the module's central record: who it goes to (group, channel, recipient
-- type, fixed once created), who it is from, what it says, and where it stands.
CREATE TABLE mm_campaigns (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES host_groups (id),
    channel VARCHAR(16) NOT NULL DEFAULT 'email',
    recipient_type VARCHAR(16) NOT NULL,
    name VARCHAR(200) NOT NULL,
    sender_name VARCHAR(200) NOT NULL DEFAULT '',
    sender_email VARCHAR(320) NOT NULL DEFAULT '',
    reply_to VARCHAR(320) NOT NULL DEFAULT '',
    subject VARCHAR(500) NOT NULL DEFAULT '',
    subject_prefix VARCHAR(50) NOT NULL DEFAULT '',
    html TEXT NOT NULL DEFAULT '',
    text_body TEXT NOT NULL DEFAULT '',
    dedupe VARCHAR(16) NOT NULL DEFAULT 'address',
    forced_locale VARCHAR(8) NOT NULL DEFAULT '',
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    created_by INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX mm_campaigns_group ON mm_campaigns (group_id, status);
-- C11: other language versions of the subject and bodies.
CREATE TABLE mm_campaign_versions (
    campaign_id INTEGER NOT NULL REFERENCES mm_campaigns (id),
    locale VARCHAR(8) NOT NULL,
    subject VARCHAR(500) NOT NULL DEFAULT '',
    html TEXT NOT NULL DEFAULT '',
    text_body TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, locale)
);
-- Attachments and inline images; the bytes are files in the module's data folder.
CREATE TABLE mm_attachments (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES mm_campaigns (id),
    filename VARCHAR(255) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size_bytes INTEGER NOT NULL,
    inline_id VARCHAR(100) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX mm_attachments_campaign ON mm_attachments (campaign_id);
-- Saved templates (C2), per group.
CREATE TABLE mm_templates (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES host_groups (id),
    name VARCHAR(200) NOT NULL,
    subject VARCHAR(500) NOT NULL DEFAULT '',
    html TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX mm_templates_group ON mm_templates (group_id);
