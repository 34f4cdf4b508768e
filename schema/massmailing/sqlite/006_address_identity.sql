-- An address is known by its identity (finding 1): trimmed and lower-cased as a whole
-- (EmailAddress::identity), no longer with its local part as written. The lists compared by
-- address take that form; of two rows that become one, the first recorded is kept.
DELETE FROM mm_unsubscribes WHERE EXISTS (SELECT 1 FROM mm_unsubscribes k WHERE k.group_id = mm_unsubscribes.group_id AND LOWER(k.address) = LOWER(mm_unsubscribes.address) AND (k.created_at < mm_unsubscribes.created_at OR (k.created_at = mm_unsubscribes.created_at AND k.address < mm_unsubscribes.address)));
UPDATE mm_unsubscribes SET address = LOWER(address);
DELETE FROM mm_address_blocks WHERE EXISTS (SELECT 1 FROM mm_address_blocks k WHERE LOWER(k.address) = LOWER(mm_address_blocks.address) AND (k.created_at < mm_address_blocks.created_at OR (k.created_at = mm_address_blocks.created_at AND k.address < mm_address_blocks.address)));
UPDATE mm_address_blocks SET address = LOWER(address);
DELETE FROM mm_audience_unchecked WHERE EXISTS (SELECT 1 FROM mm_audience_unchecked k WHERE k.campaign_id = mm_audience_unchecked.campaign_id AND LOWER(k.recipient_key) = LOWER(mm_audience_unchecked.recipient_key) AND k.recipient_key < mm_audience_unchecked.recipient_key);
UPDATE mm_audience_unchecked SET recipient_key = LOWER(recipient_key);
