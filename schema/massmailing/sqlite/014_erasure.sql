-- A person's erasure (X2): their rows are anonymised, their address is kept only as a hash
-- (EmailAddress::erasedForm, the SHA-256 of its identity in hex) so that no campaign mails it
-- again; group_id 0 holds what was a block of every group (mm_address_blocks). reasons: the
-- suppressions the address had when it was erased ("unsubscribed,bounced"; "" for none).
CREATE TABLE mm_erased_addresses (
    group_id INTEGER NOT NULL,
    address_hash VARCHAR(64) NOT NULL,
    reasons VARCHAR(100) NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, address_hash)
);
-- Who erased a person and when, never whom; rows: how many rows were changed or removed.
CREATE TABLE mm_erasures (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    erased_by INTEGER NOT NULL,
    erased_at DATETIME NOT NULL,
    rows_changed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mm_erasures_group ON mm_erasures (group_id, erased_at);
