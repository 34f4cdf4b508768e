-- Web Push (issue 15, point 4): each browser a member subscribed with (a device), in a group.
-- endpoint_key is the SHA-256 of the endpoint in hexadecimal, unique per group: a browser that
-- subscribes again replaces its row. A 404 or 410 from the push service deletes the row.
CREATE TABLE mm_push_subscriptions (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    endpoint VARCHAR(1000) NOT NULL,
    endpoint_key CHAR(64) NOT NULL,
    p256dh VARCHAR(100) NOT NULL,
    auth VARCHAR(40) NOT NULL,
    user_agent VARCHAR(255) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX mm_push_subscriptions_endpoint ON mm_push_subscriptions (group_id, endpoint_key);
CREATE INDEX mm_push_subscriptions_person ON mm_push_subscriptions (group_id, person_id);
