-- The two-way inbox (M3, R1, R2). A conversation is the thread of a group with one member, one
-- smartlist (saved filter) or one studio session: kind member, smartlist, session; subject_id
-- people.id, saved_filters.id or studio_sessions.id. last_at: its newest message, for "newest
-- first".
CREATE TABLE mm_conversations (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    kind VARCHAR(16) NOT NULL,
    subject_id BIGINT NOT NULL,
    title VARCHAR(300) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    last_at DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX mm_conversations_subject ON mm_conversations (group_id, kind, subject_id);
CREATE INDEX mm_conversations_last ON mm_conversations (group_id, last_at);
-- Each message of the inbox: sent (a campaign written in a conversation) or received (a reply).
-- conversation_id NULL: a reply kept unmatched (matched says why: forged, stale, unknown);
-- group_id 0: nobody could tell its group. bookings: the booking statuses a session message went
-- to, comma-separated. source: where a received message came from ("mail:12", "sms:ID"), unique,
-- so that the same message twice is recorded once. body: a reply's own words; quoted: the
-- original it quotes, folded away on the screens.
CREATE TABLE mm_inbox_messages (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_id BIGINT NOT NULL DEFAULT 0,
    conversation_id BIGINT,
    direction VARCHAR(8) NOT NULL,
    channel VARCHAR(8) NOT NULL,
    campaign_id BIGINT,
    person_id BIGINT,
    sender VARCHAR(320) NOT NULL DEFAULT '',
    subject VARCHAR(500) NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    quoted TEXT NOT NULL,
    bookings VARCHAR(40) NOT NULL DEFAULT '',
    at DATETIME NOT NULL,
    read_at DATETIME,
    matched VARCHAR(16) NOT NULL DEFAULT 'matched',
    detail VARCHAR(500) NOT NULL DEFAULT '',
    source VARCHAR(191)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX mm_inbox_messages_source ON mm_inbox_messages (source);
CREATE INDEX mm_inbox_messages_conversation ON mm_inbox_messages (conversation_id, at);
CREATE INDEX mm_inbox_messages_group ON mm_inbox_messages (group_id, at);
CREATE INDEX mm_inbox_messages_campaign ON mm_inbox_messages (campaign_id);
