package activities

import (
	"context"
	"fmt"
)

// ListRepositories lists the repositories of a location that maintenance
// looks after: every folder under restic/. A read-only location has none
// to maintain; a missing one is ErrTypeInvalid.
func (m *Maintenance) ListRepositories(ctx context.Context, in ListRepositoriesInput) (ListRepositoriesResult, error) {
	st, err := m.Locations.Resolve(ctx, in.Location)
	if IsLocationNotFound(err) {
		return ListRepositoriesResult{}, invalid(fmt.Sprintf("backup storage location %q: %v", in.Location, err))
	}
	if err != nil {
		return ListRepositoriesResult{}, err
	}
	if st.ReadOnly {
		return ListRepositoriesResult{ReadOnly: true}, nil
	}
	repos, err := LocationRepositories(ctx, st)
	return ListRepositoriesResult{Repositories: repos}, err
}

// LocationRepositories lists the folders under restic/ of st, sorted: the
// resources repository and a repository per namespace with pod volume
// backups (and whatever else a user put there).
func LocationRepositories(ctx context.Context, st Storage) ([]string, error) {
	records, err := st.Records()
	if err != nil {
		return nil, err
	}
	folders, err := records.Folders(ctx, resticDir+"/")
	if err != nil {
		return nil, fmt.Errorf("location %s: listing the repositories: %w", st.Name, err)
	}
	return folders, nil
}
