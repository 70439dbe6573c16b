package face

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// downloadTTL is how long a download URL works, as Velero's.
const downloadTTL = 10 * time.Minute

// answerDownload answers a DownloadRequest with a presigned URL of the
// file it names in the location that holds the backup or restore. A
// backup's contents (Velero's tarball) are written next to its record
// the first time they are asked for: Cairn keeps resources in a repository.
func (f *Face) answerDownload(ctx context.Context, r *velerov1.DownloadRequest) error {
	if r.Status.Phase == velerov1.DownloadRequestPhaseProcessed {
		return nil
	}
	kind, name := string(r.Spec.Target.Kind), r.Spec.Target.Name
	key, ok := metadata.DownloadKey(kind, name)
	if !ok {
		return f.failDownload(ctx, r, fmt.Errorf("unknown target kind %q", kind))
	}
	records, err := f.recordsOf(ctx, kind, name)
	if err == nil && kind == string(velerov1.DownloadTargetKindBackupContents) {
		err = f.ensureContents(ctx, records, name, key)
	}
	var url string
	if err == nil {
		url, err = records.SignedGetURL(ctx, key, downloadTTL)
	}
	if err != nil {
		return f.failDownload(ctx, r, err)
	}
	exp := metav1.NewTime(time.Now().Add(downloadTTL))
	r.Status = velerov1.DownloadRequestStatus{Phase: velerov1.DownloadRequestPhaseProcessed, DownloadURL: url, Expiration: &exp}
	_, err = f.downloads.objects.UpdateStatus(ctx, r)
	return err
}

// failDownload logs why a request cannot be answered; Velero's CLI waits
// for a URL and times out, so the log is where the reason shows.
func (f *Face) failDownload(_ context.Context, r *velerov1.DownloadRequest, err error) error {
	f.logger().Warn("cannot answer a download request", "name", r.Name, "target", r.Spec.Target.Kind, "of", r.Spec.Target.Name, "error", err)
	return nil
}

// recordsOf returns the records of the location that holds the backup
// or restore that a target of kind names.
func (f *Face) recordsOf(ctx context.Context, kind, name string) (metadata.Store, error) {
	loc := ""
	if strings.HasPrefix(kind, "Restore") {
		res, err := f.Cairn.DescribeRestore(ctx, name)
		if err != nil {
			return metadata.Store{}, err
		}
		loc = res.StorageLocation
	} else {
		l, _, err := activities.FindBackup(ctx, f.Cairn.Locations, name, "")
		if err != nil {
			return metadata.Store{}, err
		}
		loc = l
	}
	st, err := f.Cairn.Locations.Resolve(ctx, loc)
	if err != nil {
		return metadata.Store{}, err
	}
	return st.Records()
}

// ensureContents writes backup name's tarball at key unless it is there.
func (f *Face) ensureContents(ctx context.Context, records metadata.Store, name, key string) error {
	keys, err := records.Objects.List(ctx, key)
	if err != nil || slices.Contains(keys, key) {
		return err
	}
	var buf bytes.Buffer
	if _, err := f.Cairn.DownloadBackup(ctx, name, &buf); err != nil {
		return err
	}
	return records.Objects.Put(ctx, key, buf.Bytes())
}
