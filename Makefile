# Casework: the two commands are `make run` and `make test`. Both install and start what
# they need (PostgreSQL via apt-get if missing; NATS is embedded).
SHELL := /bin/bash
MODULES = $(shell go list -m -f '{{.Dir}}')
BINARIES = ./services/complaints/cmd/complaints ./services/delivery/cmd/delivery ./services/investigations/cmd/investigations ./deploy/cmd/devstack

.PHONY: run test bench build postgres vet fmt fuzz

run: postgres build
	./bin/devstack

test: postgres
	go vet $(addsuffix /...,$(MODULES))
	go test -count=1 $(addsuffix /...,$(MODULES))

bench: postgres build
	go run ./deploy/cmd/bench

build:
	mkdir -p bin
	go build -o bin/ $(BINARIES)

postgres:
	./deploy/local/postgres.sh

fmt:
	gofmt -l -w $(MODULES)

# Longer fuzzing than the seed corpus `make test` runs, e.g. make fuzz FUZZTIME=2m
FUZZTIME ?= 30s
fuzz:
	cd pkg && go test ./httpserver -run '^$$' -fuzz FuzzDecodeJSON -fuzztime $(FUZZTIME)
