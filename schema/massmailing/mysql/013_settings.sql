-- The settings screen (issue 17): every change of a setting, by a group's administrators
-- (group_id > 0) or the host's (group_id 0: the values of every group), with the old and new
-- value as shown (a secret's only as "(set)" or "(empty)").
CREATE TABLE mm_setting_changes (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    name VARCHAR(64) NOT NULL,
    old_value VARCHAR(500) NOT NULL,
    new_value VARCHAR(500) NOT NULL,
    changed_by BIGINT NOT NULL,
    changed_at DATETIME NOT NULL,
    INDEX mm_setting_changes_group (group_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A group's sending domains (C1, D10): the DKIM keys the module made for each (sealed with the
-- module's secrets key, content/SenderDomains), and what the last DNS check found. status:
-- pending (never checked or a record missing), verified (every record found as published).
-- next_*: the keys of a rotation, published beside the current ones; the current keys sign until
-- a check finds the next ones in the DNS, which then take their place.
CREATE TABLE mm_sender_domains (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    domain VARCHAR(253) NOT NULL,
    selector VARCHAR(63) NOT NULL,
    rsa_key TEXT NOT NULL,
    ed25519_selector VARCHAR(63) NOT NULL DEFAULT '',
    ed25519_key TEXT NOT NULL,
    next_selector VARCHAR(63) NOT NULL DEFAULT '',
    next_rsa_key TEXT NOT NULL,
    next_ed25519_selector VARCHAR(63) NOT NULL DEFAULT '',
    next_ed25519_key TEXT NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    checked_at DATETIME NULL,
    check_result TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at DATETIME NOT NULL,
    UNIQUE KEY mm_sender_domains_domain (group_id, domain)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
