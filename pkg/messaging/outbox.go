// Package messaging is the nothing-lost write path: a transactional outbox (watermill-sql's
// PostgreSQL schema, written inside the business transaction), a relay that publishes
// outbox rows to JetStream with the event id as Nats-Msg-Id, explicit stream and consumer
// provisioning, and consumers that apply each event exactly once by recording its id in
// the same transaction as its effect.
package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/postgres"
	"casework.dev/pkg/telemetry"
)

const (
	// outboxTopic names watermill's table: watermill_outbox.
	outboxTopic = "outbox"
	// subjectKey carries the destination NATS subject in the outbox row's metadata.
	subjectKey = "_casework_subject"
	// CompanionsKey carries a row's companion messages in its metadata, as a JSON array of
	// {id, subject, payload, headers}; rows written through watermill's publisher, whose
	// metadata holds strings only, carry the array encoded as a string.
	CompanionsKey = "_casework_companions"
	// HeaderEventID is the header watermill-nats' NATSMarshaler reads a message's UUID from,
	// so consumers built on watermill see the event id as msg.UUID.
	HeaderEventID = "_watermill_message_uuid"
)

// Message is one outgoing message: a domain event, a status event or a disclosure.
type Message struct {
	ID      string
	Subject string
	Payload []byte
	Headers map[string]string
	// Companions are published from the same outbox row right after this message, each
	// under its own event id (its Nats-Msg-Id) and with this message's trace context: a
	// domain event and the status event derived from it cost one row to write and to
	// relay instead of two. Their payloads must be JSON; they have no companions of
	// their own.
	Companions []Message
}

// Bundle folds msgs, in order, into rows of at most size messages each: a row's first
// message carries the others as its companions (a message's own companions stay right
// after it). An import of thousands of cases writes, sequences and relays a row per bundle
// instead of one per case; what reaches the broker is unchanged, message for message. A
// relay round holds BatchSize rows, so size times BatchSize should stay within the
// broker client's asynchronous publishes in flight (4,000 by default).
func Bundle(msgs []Message, size int) []Message {
	var rows []Message
	var row *Message
	for _, m := range msgs {
		group := append([]Message{{ID: m.ID, Subject: m.Subject, Payload: m.Payload, Headers: m.Headers}}, m.Companions...)
		if row == nil || 1+len(row.Companions)+len(group) > max(size, len(group)) {
			rows = append(rows, group[0])
			row = &rows[len(rows)-1]
			group = group[1:]
		}
		row.Companions = append(row.Companions, group...)
	}
	return rows
}

// companion is a companion message as its row's metadata carries it.
type companion struct {
	ID      string            `json:"id"`
	Subject string            `json:"subject"`
	Payload json.RawMessage   `json:"payload"`
	Headers map[string]string `json:"headers,omitempty"`
}

// rowMetadata is the metadata of m's outbox row: its headers and subject, and its
// companions as a JSON array (nil for none).
func rowMetadata(m Message) (map[string]string, []byte, error) {
	if m.ID == "" || m.Subject == "" {
		return nil, nil, fmt.Errorf("outbox message needs an id and a subject (got %q, %q)", m.ID, m.Subject)
	}
	meta := make(map[string]string, len(m.Headers)+2)
	for k, v := range m.Headers {
		meta[k] = v
	}
	meta[subjectKey] = m.Subject
	if len(m.Companions) == 0 {
		return meta, nil, nil
	}
	// Written by hand rather than by json.Marshal, which would parse and compact every
	// payload again: an import's rows carry thousands.
	size := 2
	for _, c := range m.Companions {
		size += len(c.ID) + len(c.Subject) + len(c.Payload) + 64
	}
	buf := append(make([]byte, 0, size), '[')
	for i, c := range m.Companions {
		if c.ID == "" || c.Subject == "" || len(c.Companions) > 0 {
			return nil, nil, fmt.Errorf("companion of %s needs an id and a subject and has no companions (got %q, %q)", m.ID, c.ID, c.Subject)
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		id, _ := json.Marshal(c.ID) // a string always marshals
		subject, _ := json.Marshal(c.Subject)
		buf = append(append(append(buf, `{"id":`...), id...), `,"subject":`...)
		buf = append(append(buf, subject...), `,"payload":`...)
		buf = append(buf, c.Payload...)
		if len(c.Headers) > 0 {
			headers, err := json.Marshal(c.Headers)
			if err != nil {
				return nil, nil, fmt.Errorf("companion %s headers: %w", c.ID, err)
			}
			buf = append(buf, `,"headers":`...)
			buf = append(buf, headers...)
		}
		buf = append(buf, '}')
	}
	return meta, append(buf, ']'), nil
}

// metadataJSON is a row's metadata column: the headers and subject as strings, and the
// companions as an array, not a string holding one, so that neither this write nor the
// relay's read escapes every payload again. It is built once at its final size: a bundled
// row's metadata holds a dozen payloads.
func metadataJSON(meta map[string]string, companions []byte) (string, error) {
	raw, err := json.Marshal(meta)
	if err != nil {
		return "", fmt.Errorf("outbox metadata: %w", err)
	}
	if companions == nil {
		return string(raw), nil
	}
	var b strings.Builder
	b.Grow(len(raw) + len(CompanionsKey) + len(companions) + 4)
	b.Write(raw[:len(raw)-1]) // meta always holds the subject, so a member follows
	b.WriteString(`,"` + CompanionsKey + `":`)
	b.Write(companions)
	b.WriteByte('}')
	return b.String(), nil
}

// NewMessage marshals payload as JSON under a fresh time-ordered id.
func NewMessage(subject string, payload any) (Message, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return Message{}, fmt.Errorf("marshal %s: %w", subject, err)
	}
	return Message{ID: NewID(), Subject: subject, Payload: body}, nil
}

// NewID returns a UUIDv7: unique, and ordered by creation time.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

var outboxSchema = wsql.DefaultPostgreSQLSchema{}

// AddToOutbox writes messages into the outbox inside tx, so they are sent if and only if
// the transaction commits.
func AddToOutbox(ctx context.Context, tx *sqlx.Tx, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	pub, err := wsql.NewPublisher(wsql.TxFromStdSQL(tx.Tx), wsql.PublisherConfig{SchemaAdapter: outboxSchema}, nil)
	if err != nil {
		return fmt.Errorf("outbox publisher: %w", err)
	}
	wms := make([]*message.Message, 0, len(msgs))
	for _, m := range msgs {
		meta, companions, err := rowMetadata(m)
		if err != nil {
			return err
		}
		if companions != nil { // watermill's metadata holds strings only
			meta[CompanionsKey] = string(companions)
		}
		wm := message.NewMessage(m.ID, m.Payload)
		for k, v := range meta {
			wm.Metadata.Set(k, v)
		}
		telemetry.Propagation.Inject(ctx, telemetry.MapCarrier(wm.Metadata))
		wm.SetContext(ctx)
		wms = append(wms, wm)
	}
	if err := pub.Publish(outboxTopic, wms...); err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	return nil
}

// AddToOutboxStatement adds to st a CTE that writes msgs into the same outbox table, in
// watermill-sql's row format, when guard (a SQL boolean) holds. It is the single-statement
// twin of AddToOutbox for hot paths that commit a unit of work in one round trip.
func AddToOutboxStatement(st *postgres.Statement, guard string, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	ids := make([]string, len(msgs))
	payloads := make([]string, len(msgs))
	metadata := make([]string, len(msgs))
	for i, m := range msgs {
		meta, companions, err := rowMetadata(m)
		if err != nil {
			return err
		}
		raw, err := metadataJSON(meta, companions)
		if err != nil {
			return err
		}
		ids[i], payloads[i], metadata[i] = m.ID, string(m.Payload), raw
	}
	// The trace context of the request that runs the statement joins each row's metadata;
	// without one the metadata is stored as written, byte for byte as AddToOutbox does.
	trace := st.ContextArg(traceMetadata)
	st.With(st.Name("outbox"), `INSERT INTO watermill_outbox (uuid, payload, metadata, transaction_id)
		SELECT id, payload::json, CASE WHEN `+trace+`::text = '{}' THEN metadata::json
			ELSE (metadata::jsonb || `+trace+`::jsonb)::json END, pg_current_xact_id()
		FROM unnest(`+st.Arg(pq.Array(ids))+`::text[], `+st.Arg(pq.Array(payloads))+`::text[], `+st.Arg(pq.Array(metadata))+`::text[])
			WITH ORDINALITY AS m(id, payload, metadata, n)
		WHERE `+guard+` ORDER BY n`)
	return nil
}

// traceMetadata is the W3C trace context of ctx as a JSON object of headers ("{}" when
// there is no span), for an outbox row's metadata: the relay carries it on as NATS headers.
func traceMetadata(ctx context.Context) any {
	carrier := telemetry.MapCarrier{}
	telemetry.Propagation.Inject(ctx, carrier)
	raw, _ := json.Marshal(carrier) // a map of strings always marshals
	return string(raw)
}

// CopyToOutbox writes msgs into the outbox inside tx with COPY: the bulk twin of
// AddToOutbox, for imports that write thousands of messages in one transaction. The rows
// are the same, so the relay cannot tell them apart.
func CopyToOutbox(ctx context.Context, tx *sqlx.Tx, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	carrier := telemetry.MapCarrier{}
	telemetry.Propagation.Inject(ctx, carrier)
	rows := make([][]any, len(msgs))
	for i, m := range msgs {
		meta, companions, err := rowMetadata(m)
		if err != nil {
			return err
		}
		for k, v := range carrier {
			meta[k] = v
		}
		raw, err := metadataJSON(meta, companions)
		if err != nil {
			return err
		}
		rows[i] = []any{m.ID, string(m.Payload), raw, nil}
	}
	var xid string
	if err := tx.GetContext(ctx, &xid, `SELECT pg_current_xact_id()::text`); err != nil {
		return fmt.Errorf("outbox transaction id: %w", err)
	}
	return postgres.CopyRows(ctx, tx, "watermill_outbox", []string{"uuid", "payload", "metadata", "transaction_id"}, len(rows),
		func(i int) []any { rows[i][3] = xid; return rows[i] })
}
