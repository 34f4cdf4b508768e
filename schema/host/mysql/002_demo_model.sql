-- The host's domain: what a food group (AMAP), a CRM and a dance studio keep about their people.
-- Recipient loaders read these tables; docs/data-model.md describes them and the demo data.
-- Dates: DATE and DATETIME columns, in UTC.

-- Every group: the people who administer it (coordinators, producers, staff), besides the
-- users who hold rights in it (user_rights via users.person_id).
CREATE TABLE group_admins (
    group_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    role VARCHAR(32) NOT NULL DEFAULT 'coordinator',   -- coordinator, producer, staff
    PRIMARY KEY (group_id, person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX group_admins_person ON group_admins (person_id);

-- Every group: where test sends go, a person or a bare address (one of the two is set).
CREATE TABLE test_recipients (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    person_id BIGINT,
    email VARCHAR(320),
    label VARCHAR(200) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX test_recipients_group ON test_recipients (group_id);

-- Every group: people waiting for a place; they are not members (yet).
CREATE TABLE waiting_list (
    group_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    since DATETIME NOT NULL,
    PRIMARY KEY (group_id, person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX waiting_list_person ON waiting_list (person_id);

-- Food groups: a producer's catalogue; an AMAP contract catalogue is subscribed for a season.
CREATE TABLE catalogues (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    name VARCHAR(200) NOT NULL,
    producer VARCHAR(200) NOT NULL DEFAULT '',
    active TINYINT NOT NULL DEFAULT 1,
    is_amap_contract TINYINT NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX catalogues_group ON catalogues (group_id);

-- Food groups: the members who coordinate a catalogue (its "contacts").
CREATE TABLE catalogue_contacts (
    catalogue_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    PRIMARY KEY (catalogue_id, person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX catalogue_contacts_person ON catalogue_contacts (person_id);

-- Food groups: a distribution, where members collect what they ordered.
CREATE TABLE distributions (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    starts_at DATETIME NOT NULL,
    ends_at DATETIME NOT NULL,
    place VARCHAR(200) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX distributions_group_start ON distributions (group_id, starts_at);

-- Food groups: one order line of a person in a catalogue, collected at a distribution
-- (distribution_id NULL: not tied to a distribution). group_id repeats the catalogue's group.
CREATE TABLE orders (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    catalogue_id BIGINT NOT NULL,
    distribution_id BIGINT,
    ordered_at DATETIME NOT NULL,
    quantity INTEGER NOT NULL DEFAULT 1,
    amount_cents INTEGER NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX orders_person_group ON orders (person_id, group_id);
CREATE INDEX orders_distribution_person ON orders (distribution_id, person_id);
CREATE INDEX orders_catalogue_person ON orders (catalogue_id, person_id);
CREATE INDEX orders_distribution_catalogue ON orders (distribution_id, catalogue_id, person_id);

-- Food groups managing fees (host_groups.manages_fees = 1): one payment of the membership
-- fee; a member is up to date when one of their payments has valid_until >= today.
CREATE TABLE membership_fees (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    paid_at DATE NOT NULL,
    valid_until DATE NOT NULL,
    amount_cents INTEGER NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX membership_fees_group_person ON membership_fees (group_id, person_id, valid_until);

-- AMAP groups (host_groups.is_amap = 1): a member's subscription to a contract catalogue,
-- current when starts_on <= today <= ends_on.
CREATE TABLE amap_contracts (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    catalogue_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX amap_contracts_catalogue ON amap_contracts (catalogue_id, ends_on);
CREATE INDEX amap_contracts_person ON amap_contracts (person_id);

-- CRM groups: a company or organisation, reached at its own address.
CREATE TABLE crm_accounts (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    name VARCHAR(200) NOT NULL,
    email VARCHAR(320),
    phone VARCHAR(32),
    city VARCHAR(100) NOT NULL DEFAULT '',
    segment VARCHAR(50) NOT NULL DEFAULT '',          -- PME, Grand compte, Association, Collectivité
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX crm_accounts_group ON crm_accounts (group_id);

-- CRM groups: a person known to the CRM, possibly working for an account.
CREATE TABLE crm_contacts (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    account_id BIGINT,
    job_title VARCHAR(100) NOT NULL DEFAULT '',
    city VARCHAR(100) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX crm_contacts_group ON crm_contacts (group_id);
CREATE INDEX crm_contacts_person ON crm_contacts (person_id);
CREATE INDEX crm_contacts_account ON crm_contacts (account_id);

-- CRM groups: a prospect; either a person (person_id) or only its own name and address.
CREATE TABLE crm_leads (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    person_id BIGINT,
    email VARCHAR(320),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    company VARCHAR(200) NOT NULL DEFAULT '',
    status VARCHAR(16) NOT NULL DEFAULT 'new',        -- new, contacted, qualified, converted, lost
    source VARCHAR(16) NOT NULL DEFAULT 'website',    -- website, salon, referral, import, phone
    city VARCHAR(100) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX crm_leads_group ON crm_leads (group_id);
CREATE INDEX crm_leads_person ON crm_leads (person_id);

-- CRM groups: a static list mixing contacts, accounts and leads (recipient type "targets").
CREATE TABLE crm_targets (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    name VARCHAR(200) NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX crm_targets_group ON crm_targets (group_id);
CREATE TABLE crm_target_members (
    target_id BIGINT NOT NULL,
    member_type VARCHAR(16) NOT NULL,                 -- contact, account, lead
    member_id BIGINT NOT NULL,                       -- crm_contacts.id, crm_accounts.id or crm_leads.id
    PRIMARY KEY (target_id, member_type, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Any group: a saved filter (CRM) or smartlist (studio). definition is JSON, either one
-- condition {"field": F, "op": "=" | "!=" | "in", "value": V} or {"all": [condition, ...]}
-- (every condition holds). The fields allowed per recipient_type are in docs/data-model.md.
CREATE TABLE saved_filters (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    name VARCHAR(200) NOT NULL,
    recipient_type VARCHAR(16) NOT NULL,              -- contacts, accounts, leads, members
    definition TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX saved_filters_group ON saved_filters (group_id);

-- Studio groups: a class at a given time with a number of places.
CREATE TABLE studio_sessions (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    title VARCHAR(200) NOT NULL,
    coach VARCHAR(200) NOT NULL DEFAULT '',
    starts_at DATETIME NOT NULL,
    duration_minutes INTEGER NOT NULL DEFAULT 60,
    capacity INTEGER NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX studio_sessions_group_start ON studio_sessions (group_id, starts_at);

-- Studio groups: a person's place in a session: booked, waiting (for a freed place) or cancelled.
CREATE TABLE studio_bookings (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    session_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    status VARCHAR(16) NOT NULL,                      -- booked, waiting, cancelled
    created_at DATETIME NOT NULL,
    cancelled_at DATETIME,
    UNIQUE (session_id, person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX studio_bookings_session_status ON studio_bookings (session_id, status);
CREATE INDEX studio_bookings_person ON studio_bookings (person_id);
