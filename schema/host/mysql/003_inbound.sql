-- The mail the host received for its modules (SMTP listener, `crmhost mail receive`), kept
-- from the moment it is stored until a handler processed it. status: pending, understood,
-- not_understood. raw is dropped for understood mail after the retention period; mail that
-- nothing understood keeps it. recipients: the envelope recipients, one a line.
-- claimed_until: a round that offers the message to the handlers holds it until then (and a
-- failed round leaves the time of its next try there). raw is a MEDIUMBLOB (16 MiB at most), not a
-- LONGBLOB: Poco's MySQL connector cannot read a LONGBLOB column (it sizes its buffer from the
-- column's length); mail.listen.max_size stays under 16 MiB for that reason.
CREATE TABLE inbound_mail (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    received_at DATETIME NOT NULL,
    envelope_sender VARCHAR(320) NOT NULL DEFAULT '',
    recipients TEXT NOT NULL,
    raw MEDIUMBLOB,
    size BIGINT NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    handler VARCHAR(191) NOT NULL DEFAULT '',
    detail TEXT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    processed_at DATETIME,
    claimed_until DATETIME
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX inbound_mail_status ON inbound_mail (status, id);
CREATE INDEX inbound_mail_processed ON inbound_mail (status, processed_at);
