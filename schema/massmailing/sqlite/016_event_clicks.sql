-- The unique clicks (issue 13, bench/clicks): EventRecorder asks which links each clicking person
-- clicked before, by recipient_row, kind and machine. With those and link_id in the index it reads
-- the index alone, instead of every event row of each person; same index count, same write cost.
DROP INDEX mm_events_recipient;
CREATE INDEX mm_events_recipient ON mm_events (recipient_row, kind, machine, link_id);
