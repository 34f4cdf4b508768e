-- A row handed over to the mail server keeps its lease and gets the time it went in flight;
-- its worker records the batch's 250s together. One write per message then changes no
-- index: the status, in two indexes, changes once when leased and once when recorded.
ALTER TABLE mm_recipients ADD COLUMN in_flight_at DATETIME NULL;
