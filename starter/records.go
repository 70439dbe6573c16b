package starter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/workflows"
)

// The records of the backup storage locations (Velero's backups/ and
// restores/ folders) outlive Temporal's retention: these methods read them
// straight from object storage through c.Locations, so that no secret
// passes through Temporal.

var errNoLocations = errors.New("reading backup records needs the backup storage locations")

// errUnreadable joins ErrNotFound when some location could not be read.
var errUnreadable = errors.New("could not read")

// BackupResourceList reads the resource list of backup name from the
// record in backup storage location loc. It needs c.Locations.
func (c *Client) BackupResourceList(ctx context.Context, loc, name string) (metadata.ResourceList, error) {
	if c.Locations == nil {
		return nil, errNoLocations
	}
	st, err := c.Locations.Resolve(ctx, loc)
	if err != nil {
		return nil, err
	}
	records, err := st.Records()
	if err != nil {
		return nil, err
	}
	return records.GetBackupResourceList(ctx, name)
}

// BackupRecord returns the state of backup name as its record says, with
// its pod volume backups. A backup without a record in any location wraps
// ErrNotFound. It needs c.Locations.
func (c *Client) BackupRecord(ctx context.Context, name string) (workflows.BackupResult, error) {
	var res workflows.BackupResult
	_, err := c.inLocations(ctx, "", "backup "+name, func(loc string, records metadata.Store) error {
		b, err := records.GetBackup(ctx, name)
		if err != nil {
			return err
		}
		pvbs, err := records.GetBackupPodVolumes(ctx, name)
		if err != nil {
			return err
		}
		res = backupFromRecord(b, loc, pvbs)
		return nil
	})
	return res, err
}

// RestoreRecord returns the state of restore name as its record (in the
// location of the restored backup) says. A restore stored before records
// existed has its counts from its results and a phase inferred from them. A
// restore without a record in any location wraps ErrNotFound. It needs
// c.Locations.
func (c *Client) RestoreRecord(ctx context.Context, name string) (workflows.RestoreResult, error) {
	var res workflows.RestoreResult
	_, err := c.inLocations(ctx, "", "restore "+name, func(loc string, records metadata.Store) error {
		r, err := records.GetRestore(ctx, name)
		if err == nil {
			res = restoreFromRecord(r, loc)
			return nil
		}
		if !errors.Is(err, metadata.ErrRestoreNotFound) {
			return err
		}
		results, err := records.GetRestoreResults(ctx, name)
		if err != nil {
			return err
		}
		res = restoreFromResults(name, loc, results)
		return nil
	})
	return res, err
}

// BackupLog returns the log of backup name from its location, trying loc
// first when it is set. It needs c.Locations.
func (c *Client) BackupLog(ctx context.Context, loc, name string) ([]byte, error) {
	var log []byte
	_, err := c.inLocations(ctx, loc, "the log of backup "+name, func(_ string, records metadata.Store) (err error) {
		log, err = records.GetBackupLog(ctx, name)
		return err
	})
	return log, err
}

// RestoreLog returns the log of restore name from the location of its
// backup, trying loc first when it is set. It needs c.Locations.
func (c *Client) RestoreLog(ctx context.Context, loc, name string) ([]byte, error) {
	var log []byte
	_, err := c.inLocations(ctx, loc, "the log of restore "+name, func(_ string, records metadata.Store) (err error) {
		log, err = records.GetRestoreLog(ctx, name)
		return err
	})
	return log, err
}

// DownloadBackup writes backup name as Velero's <name>-data.tar.gz, built
// from the repository snapshot its record names, to w. It needs
// c.Locations, and reads the repository with the location's password.
func (c *Client) DownloadBackup(ctx context.Context, name string, w io.Writer) (metadata.DownloadStats, error) {
	var b *metadata.Backup
	loc, err := c.inLocations(ctx, "", "backup "+name, func(_ string, records metadata.Store) (err error) {
		b, err = records.GetBackup(ctx, name)
		return err
	})
	if err != nil {
		return metadata.DownloadStats{}, err
	}
	st, err := c.Locations.Resolve(ctx, loc)
	if err != nil {
		return metadata.DownloadStats{}, err
	}
	r, closeRepo, err := st.OpenRepo(ctx, false)
	if err != nil {
		return metadata.DownloadStats{}, err
	}
	defer closeRepo()
	return metadata.Download(ctx, r, b, w)
}

// recordedBackups returns the backups that have a record in some location
// and are not in known, as their records say. A location whose records
// cannot be read is reported through c.Warn and left out.
func (c *Client) recordedBackups(ctx context.Context, known map[string]bool) ([]workflows.BackupResult, error) {
	var out []workflows.BackupResult
	err := c.eachLocation(ctx, func(loc string, records metadata.Store) error {
		names, err := records.ListBackups(ctx)
		if err != nil {
			return err
		}
		for _, name := range names {
			if known[name] {
				continue
			}
			b, err := records.GetBackup(ctx, name)
			if errors.Is(err, metadata.ErrBackupNotFound) {
				continue // deleted since the listing
			}
			if err != nil {
				return err
			}
			pvbs, err := records.GetBackupPodVolumes(ctx, name)
			if err != nil {
				return err
			}
			known[name] = true
			out = append(out, backupFromRecord(b, loc, pvbs))
		}
		return nil
	})
	return out, err
}

// recordedRestores is recordedBackups for restores.
func (c *Client) recordedRestores(ctx context.Context, known map[string]bool) ([]workflows.RestoreResult, error) {
	var out []workflows.RestoreResult
	err := c.eachLocation(ctx, func(loc string, records metadata.Store) error {
		names, err := records.ListRestores(ctx)
		if err != nil {
			return err
		}
		for _, name := range names {
			if known[name] {
				continue
			}
			r, err := records.GetRestore(ctx, name)
			switch {
			case err == nil:
				out = append(out, restoreFromRecord(r, loc))
			case errors.Is(err, metadata.ErrRestoreNotFound):
				results, err := records.GetRestoreResults(ctx, name)
				if errors.Is(err, metadata.ErrNotFound) {
					continue // deleted since the listing
				}
				if err != nil {
					return err
				}
				out = append(out, restoreFromResults(name, loc, results))
			default:
				return err
			}
			known[name] = true
		}
		return nil
	})
	return out, err
}

// eachLocation calls fn with the records of every location. A location
// whose records cannot be read (fn's error included), or a failure to list
// the locations, is reported through c.Warn and skipped: listing goes on
// with what Temporal knows.
func (c *Client) eachLocation(ctx context.Context, fn func(loc string, records metadata.Store) error) error {
	if c.Locations == nil {
		return nil
	}
	names, err := c.Locations.Names(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.warn(fmt.Errorf("listing the backup storage locations: %w", err))
		return nil
	}
	for _, n := range names {
		loc, records, err := c.records(ctx, n)
		if err == nil {
			err = fn(loc, records)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.warn(fmt.Errorf("backup storage location %s: %w", n, err))
		}
	}
	return nil
}

// inLocations calls get with the records of each location, preferred first
// when it is set, until one has what get looks for, and returns that
// location's name. get's not-found errors (metadata's) move on to the next
// location, as do locations whose records cannot be read. When no location
// has it, the error wraps ErrNotFound and names the locations that could
// not be read.
func (c *Client) inLocations(ctx context.Context, preferred, what string, get func(loc string, records metadata.Store) error) (string, error) {
	if c.Locations == nil {
		return "", errNoLocations
	}
	names, err := c.Locations.Names(ctx)
	if err != nil {
		return "", fmt.Errorf("listing the backup storage locations: %w", err)
	}
	if preferred != "" && slices.Contains(names, preferred) {
		names = append([]string{preferred}, slices.DeleteFunc(names, func(n string) bool { return n == preferred })...)
	}
	var unread []string
	for _, n := range names {
		loc, records, err := c.records(ctx, n)
		if err == nil {
			err = get(loc, records)
			if err == nil {
				return loc, nil
			}
			if recordNotFound(err) {
				continue
			}
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		unread = append(unread, fmt.Sprintf("%s (%v)", n, err))
	}
	if len(unread) > 0 {
		return "", fmt.Errorf("%s: %w in the backup storage locations that could be read; %w %s", what, ErrNotFound, errUnreadable, strings.Join(unread, ", "))
	}
	return "", fmt.Errorf("%s: %w in any backup storage location", what, ErrNotFound)
}

// records opens the records of location name.
func (c *Client) records(ctx context.Context, name string) (string, metadata.Store, error) {
	st, err := c.Locations.Resolve(ctx, name)
	if err != nil {
		return "", metadata.Store{}, err
	}
	records, err := st.Records()
	return st.Name, records, err
}

func (c *Client) warn(err error) {
	if c.Warn != nil {
		c.Warn(err)
	}
}

// recordNotFound tells whether err means a record or file is missing.
func recordNotFound(err error) bool {
	return errors.Is(err, metadata.ErrNotFound) || errors.Is(err, metadata.ErrBackupNotFound) ||
		errors.Is(err, metadata.ErrRestoreNotFound)
}

// backupFromRecord is the state of a backup as its record in location loc
// says.
func backupFromRecord(b *metadata.Backup, loc string, pvbs []metadata.PodVolumeBackup) workflows.BackupResult {
	s, st := b.Spec, b.Status
	var or []string
	for _, ls := range s.OrLabelSelectors {
		if sel := selectorString(ls); sel != "" {
			or = append(or, sel)
		}
	}
	res := workflows.BackupResult{
		Name: b.Metadata.Name,
		Spec: activities.BackupSpec{
			IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
			IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
			IncludeClusterResources: s.IncludeClusterResources, LabelSelector: selectorString(s.LabelSelector),
			OrLabelSelectors: or, StorageLocation: s.StorageLocation,
			Labels: b.Metadata.Labels, Annotations: userAnnotations(b.Metadata.Annotations, metadata.SnapshotAnnotation),
		},
		Phase: st.Phase, StorageLocation: loc, TTL: s.TTL.Duration, SnapshotID: b.SnapshotID(),
		Errors: st.Errors, Warnings: st.Warnings, FailureReason: st.FailureReason,
		Started: timeOf(st.StartTimestamp), Completed: timeOf(st.CompletionTimestamp), Expiration: timeOf(st.Expiration),
		PodVolumeBackups: pvbs,
	}
	if s.TTL.Duration > 0 {
		res.Spec.TTL = s.TTL.Duration.String()
	}
	if st.Progress != nil {
		res.Items = st.Progress.ItemsBackedUp
	}
	return res
}

// userAnnotations are a record's annotations without Cairn's own.
func userAnnotations(a map[string]string, own ...string) map[string]string {
	out := maps.Clone(a)
	for _, k := range own {
		delete(out, k)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// restoreFromRecord is the state of a restore as its record in location
// loc says.
func restoreFromRecord(r *metadata.Restore, loc string) workflows.RestoreResult {
	s, st := r.Spec, r.Status
	res := workflows.RestoreResult{
		Name: r.Metadata.Name, BackupName: s.BackupName,
		Spec: activities.RestoreSpec{
			BackupName:         s.BackupName,
			IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
			IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
			NamespaceMappings: s.NamespaceMapping, ExistingResourcePolicy: s.ExistingResourcePolicy,
			PreserveNodePorts: s.PreserveNodePorts, RestoreVolumes: s.RestorePVs,
			Labels: r.Metadata.Labels, Annotations: userAnnotations(r.Metadata.Annotations, activities.StorageLocationAnnotation),
		},
		Phase: st.Phase, StorageLocation: loc,
		Created: st.ItemsCreated, Updated: st.ItemsUpdated, Skipped: st.ItemsSkipped, FailedItems: st.ItemsFailed,
		Errors: st.Errors, Warnings: st.Warnings, FailureReason: st.FailureReason,
		Started: timeOf(st.StartTimestamp), Completed: timeOf(st.CompletionTimestamp),
	}
	if st.Progress != nil {
		res.Total = st.Progress.TotalItems
	}
	for _, v := range st.PodVolumeRestores {
		res.PodVolumeRestores = append(res.PodVolumeRestores, activities.PodVolumeRestoreResult{
			Namespace: v.Namespace, Pod: v.Pod, Volume: v.Volume, SnapshotID: v.SnapshotID,
			Files: v.Files, Bytes: v.Bytes, Duration: v.Duration, Phase: v.Phase, Error: v.Error,
		})
	}
	return res
}

// restoreFromResults is what the results of a restore stored before
// restore records existed tell: its errors and warnings, and a phase
// inferred from them as the resource restore sets it.
func restoreFromResults(name, loc string, r metadata.Results) workflows.RestoreResult {
	res := workflows.RestoreResult{Name: name, StorageLocation: loc, Phase: workflows.PhaseCompleted,
		Errors: r.Errors.Count(), Warnings: r.Warnings.Count()}
	if res.Errors > 0 {
		res.Phase = workflows.PhasePartiallyFailed
	}
	for _, msg := range r.Errors.Cluster {
		if reason, ok := strings.CutPrefix(msg, "restore failed: "); ok {
			res.Phase, res.FailureReason = workflows.PhaseFailed, reason
		}
	}
	return res
}

func selectorString(ls *metav1.LabelSelector) string {
	if ls == nil || len(ls.MatchLabels) == 0 && len(ls.MatchExpressions) == 0 {
		return ""
	}
	return metav1.FormatLabelSelector(ls)
}

func timeOf(t *metav1.Time) (out time.Time) {
	if t != nil {
		out = t.Time
	}
	return out
}
