-- A row handed to a sending API that can say afterwards what became of it (Mailjet, by
-- CustomID = the row's id): when its call's answer is lost, or the sending process dies during
-- the call, the row is in doubt and reconciled (asked) before anything of its campaign is sent
-- again, instead of staying in doubt for good.
ALTER TABLE mm_recipients ADD COLUMN reconcile INTEGER NOT NULL DEFAULT 0;
