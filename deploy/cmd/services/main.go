// Command services answers from contracts/services.yaml, the one list of services, and
// keeps the repository in step with it. Run it from the repository root:
//
//	go run ./deploy/cmd/services mains      # each service's main package (make build)
//	go run ./deploy/cmd/services check      # the repository agrees with the list (make check-services)
//	go run ./deploy/cmd/services new -name debt -port 8084 -summary "debt recovery"
//	go run ./deploy/cmd/services remove -name debt
//
// new and remove follow docs/adding-a-service.md: a service is its folder plus one entry in
// the list, one in go.work, its notice, its OpenAPI contract and its migrations folder.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"casework.dev/deploy/internal/stack"
)

func main() {
	if err := run(os.Args[1:], ".", os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "services:", err)
		os.Exit(1)
	}
}

const usage = "usage: services mains | check | new -name N -port P [-summary S] | remove -name N"

func run(args []string, root string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "mains":
		list, err := stack.Load(root)
		if err != nil {
			return err
		}
		for _, s := range list {
			fmt.Fprintln(out, s.Main)
		}
		return nil
	case "check":
		if err := stack.Check(root); err != nil {
			return fmt.Errorf("the repository disagrees with %s:\n%w", stack.ListPath, err)
		}
		fmt.Fprintf(out, "%s: every service folder is listed and has its contracts\n", stack.ListPath)
		return nil
	case "new", "remove":
		fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
		var n newService
		fs.StringVar(&n.Name, "name", "", "the service's name: lower-case letters and digits")
		fs.IntVar(&n.Port, "port", 0, "with new: its HTTP port (the next free one after the list's)")
		fs.StringVar(&n.Summary, "summary", "", "with new: what it owns, in a few words")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if args[0] == "remove" {
			return removeService(root, n.Name, out)
		}
		return createService(root, n, out)
	}
	return errors.New(usage)
}
