-- Automatic messages (M4): a rule is a message and an audience, kept as a draft campaign of
-- their own (model_campaign_id, never sent), and a trigger: a recurring schedule in a time
-- zone (cron "m h dom mon dow") or a host event with a delay.
CREATE TABLE mm_automations (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    name VARCHAR(200) NOT NULL,
    model_campaign_id INTEGER NOT NULL,
    trigger_kind VARCHAR(16) NOT NULL,
    cron VARCHAR(100) NOT NULL DEFAULT '',
    time_zone VARCHAR(64) NOT NULL DEFAULT '',
    event_name VARCHAR(64) NOT NULL DEFAULT '',
    delay_minutes INTEGER NOT NULL DEFAULT 0,
    window_minutes INTEGER NOT NULL DEFAULT 120,
    paused INTEGER NOT NULL DEFAULT 0,
    builtin VARCHAR(32) NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);
CREATE INDEX mm_automations_group ON mm_automations (group_id);
-- Each occurrence of a rule, by its key (the UTC time of a schedule's occurrence, or the host
-- event's id): the unique key decides that an occurrence becomes at most one campaign, whatever
-- restarts, clocks or nodes. status: pending, firing (held by node until lease_until), sent (its
-- campaign was handed to delivery), empty (nobody to send to), skipped, failed; reason says why.
CREATE TABLE mm_automation_occurrences (
    id INTEGER PRIMARY KEY,
    automation_id INTEGER NOT NULL,
    occurrence_key VARCHAR(191) NOT NULL,
    due_at DATETIME NOT NULL,
    status VARCHAR(16) NOT NULL,
    reason VARCHAR(500) NOT NULL DEFAULT '',
    campaign_id INTEGER,
    planned INTEGER NOT NULL DEFAULT 0,
    event_data TEXT,
    node VARCHAR(100) NOT NULL DEFAULT '',
    lease_until DATETIME,
    fired_at DATETIME,
    UNIQUE (automation_id, occurrence_key)
);
CREATE INDEX mm_automation_occurrences_due ON mm_automation_occurrences (status, due_at);
-- A campaign of an automatic message: "model" (a rule's message and audience, never sent itself)
-- or "occurrence" (one occurrence of a rule, sent like any campaign); "" for the others.
ALTER TABLE mm_campaigns ADD COLUMN automatic VARCHAR(16) NOT NULL DEFAULT '';
