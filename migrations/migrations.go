// Package migrations embeds the goose SQL migrations: one folder for the platform tables
// every service database carries (outbox, processed events, audit, disclosure log) and one
// folder per service, named after it. A new service's folder is found by name (For), so
// adding one needs no edit here.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
)

//go:embed */*.sql
var files embed.FS

// serviceName is the form of a service's name (contracts/services.yaml).
var serviceName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// Platform holds the tables every service database carries.
func Platform() fs.FS { return sub("platform") }

// For holds the named service's own tables: the folder migrations/<service>. A service
// without one is an error, as its database would silently stay empty.
func For(service string) (fs.FS, error) {
	if service == "platform" || !serviceName.MatchString(service) {
		return nil, fmt.Errorf("migrations: %q is not a service's name", service)
	}
	sqls, err := fs.Glob(files, service+"/*.sql")
	if err != nil || len(sqls) == 0 {
		return nil, fmt.Errorf("migrations: no folder migrations/%s with .sql files", service)
	}
	return sub(service), nil
}

// Of is For for a service whose folder is known to exist (make check-services proves it for
// every listed service); it panics otherwise.
func Of(service string) fs.FS { return must(For(service)) }

// Board holds the managers' board's read model of status events.
func Board() fs.FS { return must(For("board")) }

// Complaints holds the complaints service's own tables.
func Complaints() fs.FS { return must(For("complaints")) }

// Debt holds the debt recovery service's own tables.
func Debt() fs.FS { return must(For("debt")) }

// Delivery holds the webhook delivery worker's tables (attempts and dead letters).
func Delivery() fs.FS { return must(For("delivery")) }

// Investigations holds the community protection investigations service's own tables.
func Investigations() fs.FS { return must(For("investigations")) }

// Publication holds the publication decisions service's own tables.
func Publication() fs.FS { return must(For("publication")) }

// Rights holds the information rights service's own tables.
func Rights() fs.FS { return must(For("rights")) }

func sub(dir string) fs.FS {
	return must(fs.Sub(files, dir))
}

func must(f fs.FS, err error) fs.FS {
	if err != nil {
		panic(err) // the folder is embedded above; a failure is a build defect
	}
	return f
}
