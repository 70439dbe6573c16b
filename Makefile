# Cairn: Kubernetes backup and restore on Temporal.
SHELL := /bin/bash
GO ?= go
TOOLS_BIN := $(CURDIR)/.tools/bin
# VERSION and COMMIT are stamped into the binaries (cairn version, cairn_build_info)
# and tag the image; VERSION comes from release.Version (deploy/release/release.go).
VERSION ?= $(shell sed -n 's/^const Version = "\(.*\)"$$/\1/p' deploy/release/release.go)
COMMIT ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
LDFLAGS := -X github.com/cairn-backup/cairn/worker/buildinfo.version=$(VERSION) -X github.com/cairn-backup/cairn/worker/buildinfo.commit=$(COMMIT)
export CAIRN_TOOLS_BIN := $(TOOLS_BIN)

.PHONY: all build image version tools dev-up dev-down test vet fmt schema crds walkthrough clean bench-repo bench-prune bench-resources

all: build

## build: the user binary bin/cairn, and bin/cairn-dev, the same with the embedded Temporal server that `cairn dev` runs
build:
	$(GO) build -tags nodev -ldflags "$(LDFLAGS)" -o bin/cairn ./starter/cmd/cairn
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/cairn-dev ./starter/cmd/cairn

## image: Cairn's image bin/cairn-image-$(VERSION).tar (a docker-archive, for ctr images import or docker load), tagged ghcr.io/cairn-backup/cairn:$(VERSION), built without a Docker engine
image:
	$(GO) run ./deploy/cmd/image -version "$(VERSION)" -commit "$(COMMIT)" -o bin/cairn-image-$(VERSION).tar

## version: the release version that build and image stamp
version:
	@echo $(VERSION)

## tools: the test bed's pinned tools in .tools/bin (idempotent)
tools:
	@tests/tools/install.sh

$(TOOLS_BIN)/testbed: FORCE
	@$(GO) build -o $@ ./tests/cmd/testbed

## dev-up: start the dev stack (state in .dev/, variables in .dev/env)
dev-up: tools build $(TOOLS_BIN)/testbed
	@$(TOOLS_BIN)/testbed up -dir .dev

## dev-down: stop what dev-up started
dev-down:
	@if [ -x $(TOOLS_BIN)/testbed ]; then $(TOOLS_BIN)/testbed down -dir .dev; else echo "the dev stack is not running"; fi

## test: every test, unit and integration, on the real components
test: tools
	@tests/run-tests.sh

## walkthrough: the main job on the embedded defaults
walkthrough: tools build $(TOOLS_BIN)/testbed
	@tests/walkthrough.sh

## schema: regenerate workflows/inputs.schema.json from the workflow input types
schema:
	$(GO) test ./workflows -run TestInputSchemaIsCurrent -update-schema

## crds: regenerate starter/velerov1/zz_generated.deepcopy.go and the velero.io CRDs (deploy/crds, copied into the chart's crds/) from starter/velerov1's types
crds:
	@tests/tools/install.sh controllergen
	rm -f deploy/crds/velero.io_*.yaml deploy/helm/cairn/crds/velero.io_*.yaml
	$(TOOLS_BIN)/controller-gen object paths=./starter/velerov1/... crd:crdVersions=v1 paths=./starter/velerov1/... output:crd:artifacts:config=deploy/crds
	mkdir -p deploy/helm/cairn/crds
	cp deploy/crds/velero.io_*.yaml deploy/helm/cairn/crds/

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w $$(git ls-files '*.go')

clean:
	rm -rf bin

FORCE:

## bench-repo: cairn repo vs restic on the same data (time, throughput, peak RSS, size)
bench-repo: build
	@tests/tools/install.sh restic
	@$(GO) run ./tests/cmd/benchrepo $(BENCH_ARGS)

## bench-prune: restic prune against cairn repo prune on copies of one repository restic made (time, peak RSS, result size; restic check --read-data of cairn's result), then check --read-data of both (BENCH_ARGS="-size 64 -runs 1")
bench-prune: build
	@tests/tools/install.sh restic
	@$(GO) run ./tests/cmd/benchprune $(BENCH_ARGS)

## bench-resources: back up 10,000 ConfigMaps in 100 namespaces and restore them into mapped namespaces (time, peak RSS)
bench-resources: tools
	@PATH=$(TOOLS_BIN):$$PATH $(GO) test -run '^$$' -bench BenchmarkResources10k -benchtime 1x -timeout 30m ./activities/resources/restore

## bench-control: wall time of `cairn backup create --wait` and `cairn restore create --wait` of the seed's nginx namespace (no volume) on the dev stack, min/median/max against 0.5 s, and where the time goes (BENCH_ARGS="-n 5 -diagnose")
.PHONY: bench-control
bench-control: dev-up
	@. .dev/env && $(GO) run ./tests/cmd/benchcontrol -cairn $(CURDIR)/bin/cairn $(BENCH_ARGS)

.PHONY: record-histories
## record-histories: record again the workflow histories workflows/ replays (after a deliberate workflow change), then replay them
record-histories: tools
	@PATH=$(TOOLS_BIN):$$PATH CAIRN_RECORD_HISTORIES=1 $(GO) test -count=1 -timeout 15m -run '^TestRecordHistories$$' -v ./tests/histories
	@$(GO) test -count=1 -run '^TestReplayHistories$$' ./workflows
