-- Host events (H2): when a distribution's orders open and close (NULL: the host does not say),
-- and every event occurrence the host emitted, by its stable id, so that each is offered to
-- the modules once (and again only after a crash between the offer and this row).
ALTER TABLE distributions ADD COLUMN orders_open_at DATETIME;
ALTER TABLE distributions ADD COLUMN orders_close_at DATETIME;
CREATE TABLE host_events (
    id VARCHAR(191) PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    group_id INTEGER NOT NULL,
    at DATETIME NOT NULL,
    emitted_at DATETIME NOT NULL
);
CREATE INDEX host_events_emitted ON host_events (emitted_at);
-- A member's "My account → Notifications" (seed 002): each automatic notification of a group
-- switched on or off, the order summary 24 or 4 hours before the distribution, and when the
-- member chose so. No row: on, 24 hours.
CREATE TABLE notification_settings (
    person_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    notification VARCHAR(32) NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    lead_hours INTEGER NOT NULL DEFAULT 24,
    changed_at DATETIME NOT NULL,
    PRIMARY KEY (person_id, group_id, notification)
);
