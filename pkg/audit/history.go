package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// HistoryEntry is one line of a case's audit trail, as a case's history shows it.
type HistoryEntry struct {
	Seq    int64          `json:"seq"`
	At     time.Time      `json:"at"`
	Actor  string         `json:"actor"`
	Action string         `json:"action"`
	Detail map[string]any `json:"detail"`
}

// History is one chain's records in order, as history lines: at in UTC, detail decoded.
func History(ctx context.Context, q sqlx.QueryerContext, chain string) ([]HistoryEntry, error) {
	recs, err := Chain(ctx, q, chain)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryEntry, len(recs))
	for i, rec := range recs {
		detail := map[string]any{}
		if len(rec.Detail) > 0 {
			if err := json.Unmarshal(rec.Detail, &detail); err != nil {
				return nil, fmt.Errorf("audit detail %d: %w", rec.ID, err)
			}
		}
		out[i] = HistoryEntry{Seq: rec.Seq, At: rec.At.UTC(), Actor: rec.Actor, Action: rec.Action, Detail: detail}
	}
	return out, nil
}
