-- Opens and clicks (R3): a campaign's link is stored once, whichever worker writes it first.
-- url_hash is the SHA-256 of url in hex (a unique index on the url itself would pass MariaDB's
-- key length limit); a click's token names the row's id.
ALTER TABLE mm_links ADD COLUMN url_hash VARCHAR(64) NOT NULL DEFAULT '';
CREATE UNIQUE INDEX mm_links_url ON mm_links (campaign_id, url_hash);
