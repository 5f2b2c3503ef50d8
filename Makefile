# Casework: the two commands are `make run` and `make test`. Both install and start what
# they need (PostgreSQL via apt-get if missing; NATS is embedded).
SHELL := /bin/bash
MODULES = $(shell go list -m -f '{{.Dir}}')
.PHONY: run test bench build postgres chromium promtool shelltools vet fmt fuzz natsconf check-services

run: postgres shelltools build
	./bin/devstack

test: postgres chromium promtool shelltools
	go vet $(addsuffix /...,$(MODULES))
	go test -count=1 $(addsuffix /...,$(MODULES))

# BENCH_FLAGS passes flags to the bench, e.g. BENCH_FLAGS="-ours-only -broker-nice 0".
bench: postgres build
	go run ./deploy/cmd/bench $(BENCH_FLAGS)

# Every service's main package comes from contracts/services.yaml, the one list of services
# (an invalid list stops the build).
build:
	mkdir -p bin
	mains=$$(go run ./deploy/cmd/services mains) && go build -o bin/ $$mains ./deploy/cmd/devstack

# Fails when a folder under services/ is not in contracts/services.yaml, or a listed service
# lacks its module, go.work entry, notice, OpenAPI contract or migrations (docs/adding-a-service.md).
check-services:
	go run ./deploy/cmd/services check

postgres:
	./deploy/local/postgres.sh

# The board's real-browser test needs Debian's Chromium.
chromium:
	./deploy/local/chromium.sh

# The quick start's paste tests run curl and openssl as a user pasting it would.
shelltools:
	./deploy/local/shelltools.sh

# promtool checks deploy/prometheus/alerts.yml in a test.
promtool:
	./deploy/local/promtool.sh

fmt:
	gofmt -l -w $(MODULES)

# Longer fuzzing than the seed corpus `make test` runs, e.g. make fuzz FUZZTIME=2m
FUZZTIME ?= 30s
fuzz:
	cd pkg && go test ./httpserver -run '^$$' -fuzz FuzzDecodeJSON -fuzztime $(FUZZTIME)

# The NATS accounts of the docker-compose cluster, generated from contracts/partners.yaml and
# the services' users in contracts/services.yaml. Run after changing either and commit the
# result; a test fails while it is stale.
natsconf:
	go run ./deploy/cmd/natsconf -partners contracts/partners.yaml -manager-users managers -system-user sys \
		-header 'Regenerate with `make natsconf` after changing contracts/partners.yaml or contracts/services.yaml.' \
		-out deploy/nats/accounts.conf
