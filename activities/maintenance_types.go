package activities

import (
	"strings"
	"time"
)

// Error types of a maintenance that trying again at once would not mend;
// the next maintenance tries again.
const (
	// ErrTypeRepositoryUnusable: the repository cannot be opened with the
	// location's password, or its format is not one Cairn reads.
	ErrTypeRepositoryUnusable = "RepositoryUnusable"
	// ErrTypeCheckFailed: the check after the prune found problems.
	ErrTypeCheckFailed = "CheckFailed"
)

// RepositoryName is the name `cairn repo get` gives the repository in
// folder restic/<repository> of location, after Velero's
// <namespace>-<location>-<type>: "app-default-restic" for namespace app,
// "cairn.resources-default-restic" for the resources repository.
func RepositoryName(location, repository string) string {
	return repository + "-" + location + "-restic"
}

// RepositoryNamespace is the namespace whose pod volumes the repository in
// folder restic/<repository> holds; "" for the resources repository.
func RepositoryNamespace(repository string) string {
	if "restic/"+repository == ResourcesRepoDir {
		return ""
	}
	return repository
}

// ResourcesRepository is the folder under restic/ of the resources
// repository.
var ResourcesRepository = strings.TrimPrefix(ResourcesRepoDir, "restic/")

// ListRepositoriesInput names a location.
type ListRepositoriesInput struct {
	Location string
}

// ListRepositoriesResult lists its repositories by folder under restic/.
// A read-only location is not maintained: ReadOnly is set and the list is
// empty.
type ListRepositoriesResult struct {
	Repositories []string `json:",omitempty"`
	ReadOnly     bool     `json:",omitempty"`
}

// MaintainRepositoryInput names a repository: its location and its folder
// under restic/.
type MaintainRepositoryInput struct {
	Location   string
	Repository string
}

// MaintainRepositoryResult is what one maintenance did. Sizes are the
// stored bytes of the packs.
type MaintainRepositoryResult struct {
	SizeBefore   uint64
	SizeAfter    uint64
	BytesRemoved uint64
	PacksRemoved int `json:",omitempty"`
	// PacksRepacked counts the partly used packs whose used blobs went to
	// new packs.
	PacksRepacked int `json:",omitempty"`
	Snapshots     int
	// StaleLocksRemoved counts the lock files left by processes that are
	// gone (restic's rule) that the maintenance removed.
	StaleLocksRemoved int `json:",omitempty"`
	// Duration is the time spent under the exclusive lock.
	Duration time.Duration
}

// RecordMaintenanceInput is the outcome of one maintenance run, recorded
// in the repository's record when it failed and counted in the metrics.
type RecordMaintenanceInput struct {
	Location   string
	Repository string
	Succeeded  bool
	// Message is the failure's reason.
	Message      string `json:",omitempty"`
	BytesRemoved uint64 `json:",omitempty"`
	Duration     time.Duration
	Completed    time.Time
}

// RequestMaintenanceInput asks for the maintenance of repositories
// (folders under restic/) of a location.
type RequestMaintenanceInput struct {
	Location     string
	Repositories []string
}

// ReconcileSchedulesInput asks to bring the maintenance schedules in line
// with the locations.
type ReconcileSchedulesInput struct{}

// ReconcileSchedulesResult names the locations whose schedule was created
// or removed.
type ReconcileSchedulesResult struct {
	Created []string `json:",omitempty"`
	Removed []string `json:",omitempty"`
}
