-- What the user loaded into a campaign's audience, in order (A3, A5, A11): targets of a
-- recipient loader, typed or imported addresses, and exclusions.
CREATE TABLE mm_audience_sources (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES mm_campaigns (id),
    action VARCHAR(8) NOT NULL,           -- add, exclude
    source VARCHAR(16) NOT NULL,          -- target, addresses, csv, campaign
    target_id VARCHAR(100) NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}',    -- JSON object
    label VARCHAR(300) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX mm_audience_sources_campaign ON mm_audience_sources (campaign_id);
-- The addresses of "addresses" and "csv" sources, as given.
CREATE TABLE mm_audience_addresses (
    source_id INTEGER NOT NULL REFERENCES mm_audience_sources (id),
    line INTEGER NOT NULL,
    address VARCHAR(320) NOT NULL,
    first_name VARCHAR(100) NOT NULL DEFAULT '',
    last_name VARCHAR(100) NOT NULL DEFAULT '',
    PRIMARY KEY (source_id, line)
);
-- Rows the user unchecked (A3, A5): "KIND:ID" of a person, account or lead, or an address.
CREATE TABLE mm_audience_unchecked (
    campaign_id INTEGER NOT NULL REFERENCES mm_campaigns (id),
    recipient_key VARCHAR(340) NOT NULL,
    PRIMARY KEY (campaign_id, recipient_key)
);
-- The people and addresses a campaign's exclusions name, gathered before resolution so that
-- the big statement looks them up by index instead of re-running each exclusion per row.
CREATE TABLE mm_audience_exclusions (
    campaign_id INTEGER NOT NULL REFERENCES mm_campaigns (id),
    email VARCHAR(320) NOT NULL,
    recipient_key VARCHAR(340) NOT NULL
);
CREATE INDEX mm_audience_exclusions_email ON mm_audience_exclusions (campaign_id, email);
CREATE INDEX mm_audience_exclusions_key ON mm_audience_exclusions (campaign_id, recipient_key);
-- Addresses that must never be mailed again by any group (A8), filled by bounce and
-- complaint processing.
CREATE TABLE mm_address_blocks (
    address VARCHAR(320) PRIMARY KEY,
    reason VARCHAR(16) NOT NULL,          -- bounced, complained
    detail VARCHAR(500) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- One row per loaded recipient of a campaign: planned, or left out with its reason, so that
-- the user sees who and why. Delivery statuses follow "planned".
CREATE TABLE mm_recipients (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES mm_campaigns (id),
    source_id INTEGER NOT NULL,
    kind VARCHAR(8) NOT NULL,             -- person, account, lead
    recipient_id INTEGER NOT NULL,        -- 0 for a typed or imported address
    email VARCHAR(320) NOT NULL,          -- normalised: trimmed, domain in lower case
    first_name VARCHAR(100) NOT NULL DEFAULT '',
    last_name VARCHAR(100) NOT NULL DEFAULT '',
    company VARCHAR(200) NOT NULL DEFAULT '',
    locale VARCHAR(8) NOT NULL DEFAULT '',
    dedupe_key VARCHAR(340) NOT NULL,
    status VARCHAR(16) NOT NULL,          -- planned, left_out; then queued, in_flight, sent, failed, skipped, in_doubt
    reason VARCHAR(16) NOT NULL DEFAULT '', -- unchecked, excluded, no_address, invalid, unsubscribed, bounced, complained, duplicate, control_group
    sent_at DATETIME
);
CREATE INDEX mm_recipients_campaign ON mm_recipients (campaign_id, status, reason);
CREATE INDEX mm_recipients_key ON mm_recipients (campaign_id, dedupe_key);
CREATE INDEX mm_recipients_email ON mm_recipients (campaign_id, email);
CREATE INDEX mm_recipients_who ON mm_recipients (campaign_id, kind, recipient_id);
ALTER TABLE mm_campaigns ADD COLUMN control_group_percent INTEGER NOT NULL DEFAULT 0;
