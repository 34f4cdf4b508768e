-- A person's erasure (X2): their rows are anonymised, their address is kept only as a hash
-- (EmailAddress::erasedForm, the SHA-256 of its identity in hex) so that no campaign mails it
-- again; group_id 0 holds what was a block of every group (mm_address_blocks). reasons: the
-- suppressions the address had when it was erased ("unsubscribed,bounced"; "" for none).
CREATE TABLE mm_erased_addresses (
    group_id BIGINT NOT NULL,
    address_hash VARCHAR(64) NOT NULL,
    reasons VARCHAR(100) NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, address_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Who erased a person and when, never whom; rows: how many rows were changed or removed.
CREATE TABLE mm_erasures (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    erased_by BIGINT NOT NULL,
    erased_at DATETIME NOT NULL,
    rows_changed INT NOT NULL DEFAULT 0,
    INDEX mm_erasures_group (group_id, erased_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
