-- Delivery (D1–D9): when and how fast a campaign goes out, who approved it, and where each
-- recipient stands. A recipient row is leased by a worker, marked in flight before its bytes
-- go on the wire and sent once the server accepted them.
ALTER TABLE mm_campaigns ADD COLUMN scheduled_at DATETIME;
ALTER TABLE mm_campaigns ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE mm_campaigns ADD COLUMN max_per_hour INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mm_campaigns ADD COLUMN deadline_at DATETIME;
ALTER TABLE mm_campaigns ADD COLUMN reviewed_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mm_campaigns ADD COLUMN review_note VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE mm_campaigns ADD COLUMN pause_reason VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE mm_campaigns ADD COLUMN started_at DATETIME;
ALTER TABLE mm_campaigns ADD COLUMN finished_at DATETIME;
ALTER TABLE mm_recipients ADD COLUMN lease_owner VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE mm_recipients ADD COLUMN lease_until DATETIME;
ALTER TABLE mm_recipients ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mm_recipients ADD COLUMN next_attempt_at DATETIME;
ALTER TABLE mm_recipients ADD COLUMN detail VARCHAR(500) NOT NULL DEFAULT '';
CREATE INDEX mm_recipients_queue ON mm_recipients (campaign_id, status, next_attempt_at);
CREATE INDEX mm_campaigns_due ON mm_campaigns (status, scheduled_at);
