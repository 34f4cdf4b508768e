-- Delivery (D1–D9): when and how fast a campaign goes out, who approved it, and where each
-- recipient stands. A recipient row is leased by a worker, marked in flight before its bytes
-- go on the wire and sent once the server accepted them.
ALTER TABLE mm_campaigns ADD COLUMN scheduled_at DATETIME NULL, ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN max_per_hour INT NOT NULL DEFAULT 0, ADD COLUMN deadline_at DATETIME NULL,
    ADD COLUMN reviewed_by BIGINT NOT NULL DEFAULT 0, ADD COLUMN review_note VARCHAR(500) NOT NULL DEFAULT '',
    ADD COLUMN pause_reason VARCHAR(500) NOT NULL DEFAULT '', ADD COLUMN started_at DATETIME NULL,
    ADD COLUMN finished_at DATETIME NULL, ADD KEY mm_campaigns_due (status, scheduled_at);
ALTER TABLE mm_recipients ADD COLUMN lease_owner VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN lease_until DATETIME NULL, ADD COLUMN attempts INT NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at DATETIME NULL, ADD COLUMN detail VARCHAR(500) NOT NULL DEFAULT '',
    ADD KEY mm_recipients_queue (campaign_id, status, next_attempt_at);
