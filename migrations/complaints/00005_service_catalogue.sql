-- +goose Up
-- A complaint's service becomes an id from the council's service catalogue
-- (contracts/catalogue/services.yaml, version 2026.1): it travels in domain events, status
-- events and statistics, where free text could carry personal data. A service recorded
-- before as free text that is not an id of the catalogue is matched to one by the words
-- officers used, else becomes 'other'; the words themselves stay with the complaint's
-- personal data (they may name someone), where retention erases them.
-- rank: the more specific match wins ('council tax reduction' is benefits, not council tax).
CREATE TEMPORARY TABLE service_catalogue_2026_1 (id TEXT PRIMARY KEY, pattern TEXT NOT NULL, rank INT NOT NULL DEFAULT 10);
INSERT INTO service_catalogue_2026_1 (id, pattern, rank) VALUES
    ('waste', 'bin|waste|recycl|refuse|collection', 10),
    ('street-cleansing', 'litter|fly.?tip|street clean|sweep|graffiti', 10),
    ('council-tax', 'council tax', 10),
    ('business-rates', 'business rate|nndr', 2),
    ('benefits', 'benefit|council tax reduction|council tax support', 1),
    ('housing', 'housing|homeless|tenan', 10),
    ('planning', 'planning|building control', 10),
    ('parking', 'parking|permit|pcn|penalty charge', 10),
    ('environmental-health', 'environmental health|food|pollution|nuisance|noise', 10),
    ('licensing', 'licen[cs]|taxi|alcohol|gambling', 10),
    ('community-protection', 'community protection|anti.?social|asb', 10),
    ('parks', 'park|open space|allotment|play area', 10),
    ('lighting', 'light', 10),
    ('bereavement', 'cemetery|crematorium|bereave|burial', 10),
    ('leisure-culture', 'leisure|museum|theatre|arts', 10),
    ('elections', 'election|electoral|voting|register to vote', 10),
    ('customer-services', 'customer service|contact centre|call centre|website', 10),
    ('other', '$^', 10);

UPDATE complaint_personal_data p
SET details = p.details || E'\n\n[Service as first recorded: ' || c.service || ']'
FROM complaints c
WHERE c.id = p.complaint_id AND c.service NOT IN (SELECT id FROM service_catalogue_2026_1);

UPDATE complaints c
SET service = coalesce(
    (SELECT k.id FROM service_catalogue_2026_1 k WHERE lower(c.service) ~ k.pattern
     ORDER BY k.rank, k.id LIMIT 1),
    'other')
WHERE c.service NOT IN (SELECT id FROM service_catalogue_2026_1);

DROP TABLE service_catalogue_2026_1;

-- +goose Down
-- The ids stay: the words they replaced are in the personal data, not to be put back on
-- the anonymous case row.
SELECT 1;
