-- Channels (issue 15): the id an SMS gateway (or a sending API) gave a row's message, for the
-- delivery reports that name it (a row sent again gets another), and what the last report said.
CREATE TABLE mm_message_ids (
    recipient_id INTEGER NOT NULL,
    message_id VARCHAR(191) NOT NULL
);
CREATE INDEX mm_message_ids_message ON mm_message_ids (message_id);
CREATE INDEX mm_message_ids_recipient ON mm_message_ids (recipient_id);
-- delivered, failed ('' before any report), with the gateway's reason in detail.
ALTER TABLE mm_recipients ADD COLUMN report VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE mm_recipients ADD COLUMN reported_at DATETIME;
-- Phone numbers as the audience normalised them (E.164 with the group's country), once per
-- number as written and country: e164 is '' for a number that is not valid.
CREATE TABLE mm_phone_numbers (
    raw VARCHAR(64) NOT NULL,
    country VARCHAR(2) NOT NULL,
    e164 VARCHAR(20) NOT NULL,
    PRIMARY KEY (raw, country)
);
