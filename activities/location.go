package activities

import (
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/location"
)

// ResourcesRepoDir is the folder, under a location's prefix, of the
// repository that holds the API objects of every backup. It sits in Velero's
// restic/ tree, where folders are named after namespaces; the dot keeps it
// clear of them, since a namespace name cannot contain one.
const ResourcesRepoDir = "restic/cairn.resources"

// Storage is where a backup storage location keeps its data, and the
// password of its repositories. It never leaves the worker: activity
// payloads carry the location's name only.
type Storage struct {
	// Name is the location's name (the default location's when asked for "").
	Name string
	// Where is the location's root: records go under it, repositories
	// below ResourcesRepoDir.
	Where    location.Location
	Password string
	ReadOnly bool
}

// LocationResolver finds the storage behind a backup storage location name.
type LocationResolver interface {
	// Resolve returns the storage of location name; "" means the default.
	Resolve(ctx context.Context, name string) (Storage, error)
	// Names lists every location.
	Names(ctx context.Context) ([]string, error)
}

// KubeLocations resolves locations through the ConfigMaps and Secrets of
// package locations.
type KubeLocations struct {
	Store *locations.Store
}

var _ LocationResolver = KubeLocations{}

// Resolve implements LocationResolver.
func (k KubeLocations) Resolve(ctx context.Context, name string) (Storage, error) {
	var (
		loc locations.Location
		err error
	)
	if name == "" {
		loc, err = k.Store.Default(ctx)
	} else {
		loc, err = k.Store.Get(ctx, name)
	}
	if err != nil {
		return Storage{}, err
	}
	where, err := k.Store.Open(ctx, loc)
	if err != nil {
		return Storage{}, err
	}
	pw, err := k.Store.Password(ctx, loc)
	if err != nil {
		return Storage{}, err
	}
	return Storage{Name: loc.Name, Where: where, Password: pw, ReadOnly: loc.Spec.Mode() == locations.ReadOnly}, nil
}

// Names implements LocationResolver.
func (k KubeLocations) Names(ctx context.Context) ([]string, error) {
	locs, err := k.Store.List(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(locs))
	for i, l := range locs {
		names[i] = l.Name
	}
	return names, nil
}

// IsLocationNotFound tells whether err means the location does not exist.
func IsLocationNotFound(err error) bool {
	return errors.Is(err, locations.ErrNotFound) || errors.Is(err, locations.ErrNoDefault)
}

// Records opens the metadata store of s: Velero's backups/ and restores/
// folders at the location's root.
func (s Storage) Records() (metadata.Store, error) {
	if s.Where.S3 != nil {
		objs, err := metadata.NewS3Store(*s.Where.S3)
		if err != nil {
			return metadata.Store{}, fmt.Errorf("location %s: %w", s.Name, err)
		}
		return metadata.Store{Objects: objs}, nil
	}
	objs, err := metadata.NewDirStore(s.Where.Path)
	if err != nil {
		return metadata.Store{}, fmt.Errorf("location %s: %w", s.Name, err)
	}
	return metadata.Store{Objects: objs}, nil
}

// NamespaceRepoDir is the folder, under a location's prefix, of the
// repository that holds the pod volume data of namespace ns, as in Velero.
func NamespaceRepoDir(ns string) string { return path.Join("restic", ns) }

// repoAt is the location of the repository in folder dir.
func (s Storage) repoAt(dir string) location.Location {
	if s.Where.S3 != nil {
		c := *s.Where.S3
		c.Prefix = path.Join(c.Prefix, dir)
		return location.Location{S3: &c}
	}
	return location.Location{Path: path.Join(s.Where.Path, dir)}
}

// OpenRepo opens the resources repository of s, creating it when create is
// set and it does not exist yet. The caller calls the returned close.
func (s Storage) OpenRepo(ctx context.Context, create bool) (*repo.Repository, func(), error) {
	return s.OpenRepoAt(ctx, ResourcesRepoDir, create, repo.Options{})
}

// OpenRepoAt opens the repository in folder dir of s (see ResourcesRepoDir
// and NamespaceRepoDir) with opts, creating it when create is set and it
// does not exist yet. The caller calls the returned close.
func (s Storage) OpenRepoAt(ctx context.Context, dir string, create bool, opts repo.Options) (*repo.Repository, func(), error) {
	where := s.repoAt(dir)
	r, be, err := openRepo(ctx, where, s.Password, opts)
	if create && errors.Is(err, repo.ErrNoRepository) {
		// Made on first use, by one of the activities that may try at once
		// (the volumes of a namespace backed up for the first time).
		if be, err = where.Create(ctx); err == nil {
			r, err = repo.InitOrOpen(ctx, be, s.Password, opts)
			if err != nil {
				_ = be.Close()
			}
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("location %s: repository %s: %w", s.Name, dir, err)
	}
	return r, func() { _ = r.Close(); _ = be.Close() }, nil
}

// openRepo opens the existing repository at where; a missing one wraps
// repo.ErrNoRepository.
func openRepo(ctx context.Context, where location.Location, password string, opts repo.Options) (*repo.Repository, backend.Backend, error) {
	be, err := where.Open(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", repo.ErrNoRepository, err)
	}
	r, err := repo.Open(ctx, be, password, opts)
	if err != nil {
		_ = be.Close()
		return nil, nil, err
	}
	return r, be, nil
}

// FindBackup returns the name of the location that holds backup name's
// record, trying preferred first when it is set. It wraps
// metadata.ErrBackupNotFound when no location has it.
func FindBackup(ctx context.Context, locs LocationResolver, name, preferred string) (string, *metadata.Backup, error) {
	names, err := locs.Names(ctx)
	if err != nil {
		return "", nil, err
	}
	if preferred != "" {
		names = append([]string{preferred}, names...)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		st, err := locs.Resolve(ctx, n)
		if err != nil {
			return "", nil, err
		}
		records, err := st.Records()
		if err != nil {
			return "", nil, err
		}
		b, err := records.GetBackup(ctx, name)
		if err == nil {
			return st.Name, b, nil
		}
		if !errors.Is(err, metadata.ErrBackupNotFound) {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("backup %q: %w", name, metadata.ErrBackupNotFound)
}
