# Casework: the two commands are `make run` and `make test`. Both install and start what
# they need (PostgreSQL via apt-get if missing; NATS is embedded).
SHELL := /bin/bash
MODULES = $(shell go list -m -f '{{.Dir}}')
BINARIES = ./services/board/cmd/board ./services/complaints/cmd/complaints ./services/delivery/cmd/delivery ./services/investigations/cmd/investigations ./deploy/cmd/devstack

.PHONY: run test bench build postgres chromium promtool vet fmt fuzz natsconf

run: postgres build
	./bin/devstack

test: postgres chromium promtool
	go vet $(addsuffix /...,$(MODULES))
	go test -count=1 $(addsuffix /...,$(MODULES))

bench: postgres build
	go run ./deploy/cmd/bench

build:
	mkdir -p bin
	go build -o bin/ $(BINARIES)

postgres:
	./deploy/local/postgres.sh

# The board's real-browser test needs Debian's Chromium.
chromium:
	./deploy/local/chromium.sh

# promtool checks deploy/prometheus/alerts.yml in a test.
promtool:
	./deploy/local/promtool.sh

fmt:
	gofmt -l -w $(MODULES)

# Longer fuzzing than the seed corpus `make test` runs, e.g. make fuzz FUZZTIME=2m
FUZZTIME ?= 30s
fuzz:
	cd pkg && go test ./httpserver -run '^$$' -fuzz FuzzDecodeJSON -fuzztime $(FUZZTIME)

# The NATS accounts of the docker-compose cluster, generated from contracts/partners.yaml.
# Run after changing the partners file and commit the result; a test fails while it is stale.
natsconf:
	go run ./deploy/cmd/natsconf -partners contracts/partners.yaml \
		-council-users complaints,delivery,investigations -system-user sys \
		-header 'Regenerate with `make natsconf` after changing contracts/partners.yaml.' \
		-out deploy/nats/accounts.conf
