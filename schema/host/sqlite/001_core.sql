-- The host's core: groups, people, login accounts, rights, sessions, modules per group, settings.
CREATE TABLE host_groups (
    id INTEGER PRIMARY KEY,
    kind VARCHAR(16) NOT NULL,            -- food, crm, studio
    name VARCHAR(200) NOT NULL,
    manages_fees INTEGER NOT NULL DEFAULT 0,
    is_amap INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    first_name VARCHAR(100) NOT NULL DEFAULT '',
    last_name VARCHAR(100) NOT NULL DEFAULT '',
    email VARCHAR(320),
    phone VARCHAR(32),
    locale VARCHAR(8) NOT NULL DEFAULT 'fr',
    time_zone VARCHAR(64) NOT NULL DEFAULT 'Europe/Paris',
    last_login_at DATETIME,
    consent_email INTEGER NOT NULL DEFAULT 0,
    consent_sms INTEGER NOT NULL DEFAULT 0,
    consent_push INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX people_email ON people (email);
CREATE TABLE memberships (
    group_id INTEGER NOT NULL REFERENCES host_groups (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX memberships_person ON memberships (person_id);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login VARCHAR(100) NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL,
    person_id INTEGER REFERENCES people (id),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- group_id 0: the right holds in every group (host.admin).
CREATE TABLE user_rights (
    user_id INTEGER NOT NULL REFERENCES users (id),
    group_id INTEGER NOT NULL,
    right_name VARCHAR(100) NOT NULL,
    PRIMARY KEY (user_id, group_id, right_name)
);
CREATE TABLE sessions (
    token_hash CHAR(64) PRIMARY KEY,
    user_id INTEGER,
    csrf_token CHAR(64) NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE TABLE api_tokens (
    token_hash CHAR(64) PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE module_groups (
    module VARCHAR(100) NOT NULL,
    group_id INTEGER NOT NULL REFERENCES host_groups (id),
    PRIMARY KEY (module, group_id)
);
CREATE TABLE settings (
    setting_key VARCHAR(200) PRIMARY KEY,
    setting_value TEXT NOT NULL
);
CREATE TABLE verified_domains (
    group_id INTEGER NOT NULL REFERENCES host_groups (id),
    domain VARCHAR(255) NOT NULL,
    PRIMARY KEY (group_id, domain)
);
