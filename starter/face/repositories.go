package face

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cairn-backup/cairn/starter/objects"
)

// followRepositories makes a BackupRepository object of every repository
// Cairn knows (`velero repo get`) and keeps their status.
func (f *Face) followRepositories(ctx context.Context) {
	list, err := f.Cairn.ListRepositories(ctx)
	if err != nil {
		f.logger().Warn("listing repositories for their objects", "error", err)
	}
	for _, r := range list {
		want := objects.BackupRepository(r, f.Namespace)
		cur := f.repos.cached(want.Name)
		switch {
		case cur == nil:
			_, err = f.repos.objects.Create(ctx, &want)
		case !sameJSON(cur.Status, want.Status):
			cur.Status = want.Status
			_, err = f.repos.objects.UpdateStatus(ctx, cur)
		}
		if err != nil && !apierrors.IsAlreadyExists(err) && ctx.Err() == nil {
			f.logger().Warn("writing a BackupRepository object", "name", want.Name, "error", err)
		}
	}
}
