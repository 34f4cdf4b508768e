-- The host's core: groups, people, login accounts, rights, sessions, modules per group, settings.
CREATE TABLE host_groups (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    kind VARCHAR(16) NOT NULL,            -- food, crm, studio
    name VARCHAR(200) NOT NULL,
    manages_fees TINYINT NOT NULL DEFAULT 0,
    is_amap TINYINT NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE people (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    first_name VARCHAR(100) NOT NULL DEFAULT '',
    last_name VARCHAR(100) NOT NULL DEFAULT '',
    email VARCHAR(320),
    phone VARCHAR(32),
    locale VARCHAR(8) NOT NULL DEFAULT 'fr',
    time_zone VARCHAR(64) NOT NULL DEFAULT 'Europe/Paris',
    last_login_at DATETIME,
    consent_email TINYINT NOT NULL DEFAULT 0,
    consent_sms TINYINT NOT NULL DEFAULT 0,
    consent_push TINYINT NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX people_email ON people (email);
CREATE TABLE memberships (
    group_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (group_id, person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX memberships_person ON memberships (person_id);
CREATE TABLE users (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    login VARCHAR(100) NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL,
    person_id BIGINT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- group_id 0: the right holds in every group (host.admin).
CREATE TABLE user_rights (
    user_id BIGINT NOT NULL,
    group_id BIGINT NOT NULL,
    right_name VARCHAR(100) NOT NULL,
    PRIMARY KEY (user_id, group_id, right_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE sessions (
    token_hash CHAR(64) PRIMARY KEY,
    user_id BIGINT,
    csrf_token CHAR(64) NOT NULL,
    expires_at DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE api_tokens (
    token_hash CHAR(64) PRIMARY KEY,
    user_id BIGINT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE module_groups (
    module VARCHAR(100) NOT NULL,
    group_id BIGINT NOT NULL,
    PRIMARY KEY (module, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE settings (
    setting_key VARCHAR(191) PRIMARY KEY,
    setting_value TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE verified_domains (
    group_id BIGINT NOT NULL,
    domain VARCHAR(255) NOT NULL,
    PRIMARY KEY (group_id, domain)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
