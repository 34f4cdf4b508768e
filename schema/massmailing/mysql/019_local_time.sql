-- The distribution a food group's campaign is about (an automatic order summary's: its order
-- lines and its date are that distribution's); NULL: the group's next one.
ALTER TABLE mm_campaigns ADD COLUMN distribution_id BIGINT NULL;
-- Local-time sending and the sending calendar (D12). local_time "09:00": each recipient gets
-- the message at that hour in their own zone (the person's, else the group's), their row's
-- next_attempt_at holding when that is, so that the claim takes it then and no column or
-- index is added to mm_recipients; optimised_hour 1: at the hour each person opened earlier
-- messages most, else the group's best hour, else local_time. calendar_days: the ISO weekdays
-- when the campaign may send ("12345", Monday to Friday; NULL: every day), between
-- calendar_from and calendar_to ("08:00", "18:00"), in the recipient's zone for a local-time
-- campaign and in the campaign's zone otherwise.
ALTER TABLE mm_campaigns ADD COLUMN local_time VARCHAR(5) NULL;
ALTER TABLE mm_campaigns ADD COLUMN optimised_hour INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mm_campaigns ADD COLUMN calendar_days VARCHAR(7) NULL;
ALTER TABLE mm_campaigns ADD COLUMN calendar_from VARCHAR(5) NULL;
ALTER TABLE mm_campaigns ADD COLUMN calendar_to VARCHAR(5) NULL;
