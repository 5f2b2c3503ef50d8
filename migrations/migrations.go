// Package migrations embeds the goose SQL migrations: one folder for the platform tables
// every service database carries (outbox, processed events, audit, disclosure log) and one
// folder per service.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed platform/*.sql board/*.sql complaints/*.sql delivery/*.sql investigations/*.sql
var files embed.FS

// Platform holds the tables every service database carries.
func Platform() fs.FS { return sub("platform") }

// Board holds the managers' board's read model of status events.
func Board() fs.FS { return sub("board") }

// Complaints holds the complaints service's own tables.
func Complaints() fs.FS { return sub("complaints") }

// Delivery holds the webhook delivery worker's tables (attempts and dead letters).
func Delivery() fs.FS { return sub("delivery") }

// Investigations holds the community protection investigations service's own tables.
func Investigations() fs.FS { return sub("investigations") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded above; a failure is a build defect
	}
	return f
}
