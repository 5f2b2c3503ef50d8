package casestore

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"casework.dev/pkg/postgres"
)

// Row structs: a table's row is a struct whose json member names are the table's columns,
// so one JSON value carries a whole row set into PostgreSQL (jsonb_populate_recordset).
// A nullable column is a pointer; a TEXT[] column a non-nil slice.

// InsertCase adds the case write "c" to st: row inserted into table where claimed holds,
// created and updated at at.
func InsertCase[T any](st *postgres.Statement, table string, row T, claimed string, at time.Time) error {
	raw, err := json.Marshal(row)
	if err != nil {
		return fmt.Errorf("%s row: %w", table, err)
	}
	cols := strings.Join(Columns[T](), ", ")
	ts := st.Arg(at)
	st.With("c", `INSERT INTO `+table+` (`+cols+`, created_at, updated_at)
		SELECT `+cols+`, `+ts+`::timestamptz, `+ts+`::timestamptz FROM jsonb_populate_record(NULL::`+table+`, `+st.Arg(raw)+`::jsonb)
		WHERE `+claimed+` RETURNING id`)
	return nil
}

// UpdateCase adds the case write "c" to st: the case's columns replaced by row, updated at
// at, only where the case with id is still at version (as read).
func UpdateCase[T any](st *postgres.Statement, table string, row T, id string, version int, at time.Time) error {
	raw, err := json.Marshal(row)
	if err != nil {
		return fmt.Errorf("%s row: %w", table, err)
	}
	cols := strings.Join(Columns[T](), ", ")
	st.With("c", `UPDATE `+table+` SET (`+cols+`, updated_at) =
		(SELECT `+cols+`, `+st.Arg(at)+`::timestamptz FROM jsonb_populate_record(NULL::`+table+`, `+st.Arg(raw)+`::jsonb))
		WHERE id = `+st.Arg(id)+` AND version = `+st.Arg(version)+` RETURNING id`)
	return nil
}

// Sync adds to st the writes that turn one case's rows of table from before into after,
// guarded by the case write: new or changed rows upserted on the key columns, rows whose
// key is gone deleted (erasure deletes personal rows rather than blanking them).
func Sync[T any](st *postgres.Statement, table string, key []string, before, after []T) error {
	keyOf := keyFunc[T](key)
	kept := make(map[string]bool, len(after))
	for _, row := range after {
		kept[keyOf(row)] = true
	}
	var gone []T
	for _, row := range before {
		if !kept[keyOf(row)] {
			gone = append(gone, row)
		}
	}
	if len(gone) > 0 {
		raw, err := json.Marshal(gone)
		if err != nil {
			return fmt.Errorf("%s rows: %w", table, err)
		}
		match := make([]string, len(key))
		for i, k := range key {
			match[i] = "t." + k + " = gone." + k
		}
		st.With(st.Name("gone"), `DELETE FROM `+table+` t USING jsonb_populate_recordset(NULL::`+table+`, `+st.Arg(raw)+`::jsonb) gone
			WHERE `+strings.Join(match, " AND ")+` AND `+Guard)
	}
	changed := Changed(before, after)
	if len(changed) == 0 {
		return nil
	}
	raw, err := json.Marshal(changed)
	if err != nil {
		return fmt.Errorf("%s rows: %w", table, err)
	}
	cols := Columns[T]()
	var set []string
	for _, c := range cols {
		if !contains(key, c) {
			set = append(set, c+" = EXCLUDED."+c)
		}
	}
	conflict := "DO NOTHING"
	if len(set) > 0 {
		conflict = "DO UPDATE SET " + strings.Join(set, ", ")
	}
	list := strings.Join(cols, ", ")
	st.With(st.Name("rows"), `INSERT INTO `+table+` (`+list+`)
		SELECT `+list+` FROM jsonb_populate_recordset(NULL::`+table+`, `+st.Arg(raw)+`::jsonb) WHERE `+Guard+`
		ON CONFLICT (`+strings.Join(key, ", ")+`) `+conflict)
	return nil
}

// Changed are the rows of after not in before as they are.
func Changed[T any](before, after []T) []T {
	var out []T
	for _, row := range after {
		if !containsEqual(before, row) {
			out = append(out, row)
		}
	}
	return out
}

func containsEqual[T any](rows []T, row T) bool {
	for _, r := range rows {
		if reflect.DeepEqual(r, row) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

var columnCache sync.Map // reflect.Type -> []string

// Columns are a row struct's columns: its json member names, in field order.
func Columns[T any]() []string {
	t := reflect.TypeFor[T]()
	if cols, ok := columnCache.Load(t); ok {
		return cols.([]string)
	}
	var cols []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			cols = append(cols, name)
		}
	}
	columnCache.Store(t, cols)
	return cols
}

// keyFunc renders a row's key columns as one comparable string.
func keyFunc[T any](key []string) func(T) string {
	t := reflect.TypeFor[T]()
	var idx []int
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if contains(key, name) {
			idx = append(idx, i)
		}
	}
	return func(row T) string {
		v := reflect.ValueOf(row)
		parts := make([]string, len(idx))
		for i, j := range idx {
			parts[i] = fmt.Sprint(v.Field(j).Interface())
		}
		return strings.Join(parts, "\x00")
	}
}
