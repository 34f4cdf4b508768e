-- The addresses that left a group's messages (X1): one row per group and address, the first
-- time kept. Addresses are stored normalised (domain lower-cased, local part as written) and
-- compared byte for byte (utf8mb4_bin). campaign_id is the campaign whose link was used; no
-- foreign key, so that removing a campaign never brings an unsubscribed address back.
CREATE TABLE mm_unsubscribes (
    group_id BIGINT NOT NULL,
    address VARCHAR(320) NOT NULL,
    campaign_id BIGINT NULL,
    method VARCHAR(16) NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (group_id, address),
    KEY mm_unsubscribes_campaign (campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
