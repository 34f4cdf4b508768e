-- The addresses that left a group's messages (X1): one row per group and address, the first
-- time kept. Addresses are stored normalised (domain lower-cased, local part as written).
-- campaign_id is the campaign whose link was used; no foreign key, so that removing a
-- campaign never brings an unsubscribed address back.
CREATE TABLE mm_unsubscribes (
    group_id INTEGER NOT NULL REFERENCES host_groups (id),
    address VARCHAR(320) NOT NULL,
    campaign_id INTEGER,
    method VARCHAR(16) NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (group_id, address)
);
CREATE INDEX mm_unsubscribes_campaign ON mm_unsubscribes (campaign_id);
