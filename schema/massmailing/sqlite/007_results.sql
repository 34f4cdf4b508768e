-- Results (R3–R5, A8, A10, A11): what came back after "sent". Each event is kept (mm_events);
-- what the results page and the CSV read is also counted where it is recorded (the columns of
-- mm_recipients, mm_links, mm_result_hours), so that a million recipients read in one pass.
-- A recipient's delivery outcome after the server's 250: a bounce report or a complaint.
-- bounce: empty, soft or hard; bounce_detail: the server's text
ALTER TABLE mm_recipients ADD COLUMN bounce VARCHAR(8) NOT NULL DEFAULT '';
ALTER TABLE mm_recipients ADD COLUMN bounce_detail VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE mm_recipients ADD COLUMN bounced_at DATETIME;
ALTER TABLE mm_recipients ADD COLUMN complained_at DATETIME;
ALTER TABLE mm_recipients ADD COLUMN unsubscribed_at DATETIME;
-- Opens and clicks of people, and apart those of machines (privacy proxies, link scanners).
ALTER TABLE mm_recipients ADD COLUMN first_open_at DATETIME;
ALTER TABLE mm_recipients ADD COLUMN opens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mm_recipients ADD COLUMN machine_opens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mm_recipients ADD COLUMN first_click_at DATETIME;
ALTER TABLE mm_recipients ADD COLUMN clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mm_recipients ADD COLUMN machine_clicks INTEGER NOT NULL DEFAULT 0;
-- Tracking can be switched off per campaign (and per group: mm_group_settings).
ALTER TABLE mm_campaigns ADD COLUMN tracking INTEGER NOT NULL DEFAULT 1;

-- Every event of a campaign's recipient, in the order it came. recipient_row is mm_recipients.id
-- (0 for a test message's). kind: open, click, bounce, delay, complaint, unsubscribe, auto_reply.
CREATE TABLE mm_events (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    recipient_row INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    machine INTEGER NOT NULL DEFAULT 0,   -- 1: a proxy, a scanner or a robot, counted apart
    link_id INTEGER NOT NULL DEFAULT 0,   -- mm_links.id of a click
    at DATETIME NOT NULL,
    user_agent VARCHAR(300) NOT NULL DEFAULT '',
    ip VARCHAR(64) NOT NULL DEFAULT '',   -- the address, or its hash when the group says so
    detail VARCHAR(500) NOT NULL DEFAULT '' -- a bounce's status and text, a machine's reason
);
CREATE INDEX mm_events_campaign ON mm_events (campaign_id, kind, at);
CREATE INDEX mm_events_recipient ON mm_events (recipient_row);

-- The links of a campaign's messages, as written in its HTML or text; a click's token names one.
CREATE TABLE mm_links (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    url VARCHAR(2000) NOT NULL,
    clicks INTEGER NOT NULL DEFAULT 0,        -- by people
    unique_clicks INTEGER NOT NULL DEFAULT 0, -- people who clicked it
    machine_clicks INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mm_links_campaign ON mm_links (campaign_id);

-- Opens and clicks per hour since the send began: the results page's chart.
CREATE TABLE mm_result_hours (
    campaign_id INTEGER NOT NULL,
    hour DATETIME NOT NULL,               -- UTC, minutes and seconds 0
    opens INTEGER NOT NULL DEFAULT 0,
    machine_opens INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    machine_clicks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, hour)
);

-- Addresses a group's messages must not reach because of what came back (A8): a hard bounce,
-- soft bounces past the group's limit, a complaint. A lifted row stays, with who lifted it and
-- why (R5); only rows with lifted_at NULL suppress. address is EmailAddress::identity.
CREATE TABLE mm_group_suppressions (
    group_id INTEGER NOT NULL,
    address VARCHAR(320) NOT NULL,
    reason VARCHAR(16) NOT NULL,          -- bounced, complained
    detail VARCHAR(500) NOT NULL DEFAULT '',
    campaign_id INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    lifted_at DATETIME,
    lifted_by INTEGER NOT NULL DEFAULT 0,
    lift_reason VARCHAR(500) NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, address)
);

-- A group's own values of the module's settings (bounce domain, tracking, IP privacy, soft
-- bounce limits); a key not here takes the module's setting (plugin/GroupSettings).
CREATE TABLE mm_group_settings (
    group_id INTEGER NOT NULL,
    name VARCHAR(64) NOT NULL,
    value VARCHAR(500) NOT NULL,
    PRIMARY KEY (group_id, name)
);
