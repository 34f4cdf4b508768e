-- Results per recipient domain (issue 13): the domain of each recipient's address, stored when
-- the row is written (SqlDialect::addressDomain, EmailAddress::domain), so that the results page
-- groups a million rows by an indexed column instead of cutting every address at query time.
ALTER TABLE mm_recipients ADD COLUMN domain VARCHAR(320) NOT NULL DEFAULT '';
UPDATE mm_recipients SET domain = SUBSTRING_INDEX(email, '@', -1) WHERE domain = '';
CREATE INDEX mm_recipients_domain ON mm_recipients (campaign_id, domain);
-- The results' counts per domain and locale of a campaign, as last computed (tracking/Results):
-- the page reads these few hundred rows, not the million of mm_recipients; the task
-- massmailing.results computes them again while the campaign sends and when events come in.
CREATE TABLE mm_result_slices (
    campaign_id BIGINT NOT NULL,
    domain VARCHAR(320) NOT NULL,
    locale VARCHAR(8) NOT NULL,
    planned INT NOT NULL DEFAULT 0,
    sent INT NOT NULL DEFAULT 0,
    bounced_hard INT NOT NULL DEFAULT 0,
    bounced_soft INT NOT NULL DEFAULT 0,
    opened INT NOT NULL DEFAULT 0,
    opens INT NOT NULL DEFAULT 0,
    machine_opens INT NOT NULL DEFAULT 0,
    clicked INT NOT NULL DEFAULT 0,
    clicks INT NOT NULL DEFAULT 0,
    machine_clicks INT NOT NULL DEFAULT 0,
    unsubscribed INT NOT NULL DEFAULT 0,
    complained INT NOT NULL DEFAULT 0,
    held_out INT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, domain, locale)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- When a campaign's slices were computed, the latest event they include, and the control group's
-- comparison of orders of that time.
CREATE TABLE mm_result_snapshots (
    campaign_id BIGINT NOT NULL PRIMARY KEY,
    computed_at DATETIME NOT NULL,
    last_event_at VARCHAR(19) NOT NULL DEFAULT '',
    control_ordered INT NOT NULL DEFAULT 0,
    sent_ordered INT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
