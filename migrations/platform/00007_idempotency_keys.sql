-- +goose Up
-- Idempotency-Key of each request that created a case, scoped to the actor who sent it
-- ("actor|key"), with the SHA-256 of the request it came with (method, route, canonical
-- body): a retry of the same request replays the case it created; the same key with
-- another request is refused. Written in the same statement as the case.
-- An empty digest is a key stored before requests were digested: it replays as before.
CREATE TABLE idempotency_keys (
    key            TEXT PRIMARY KEY,
    request_digest TEXT NOT NULL,
    case_id        TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE idempotency_keys;
