package face

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/starter/velerov1"
)

// answerStatus answers a ServerStatusRequest (`velero version`) with the
// server's version. Cairn runs no plugins, so it lists none.
func (f *Face) answerStatus(ctx context.Context, r *velerov1.ServerStatusRequest) error {
	if r.Status.Phase == velerov1.ServerStatusRequestPhaseProcessed {
		return nil
	}
	now := metav1.Now()
	r.Status = velerov1.ServerStatusRequestStatus{
		Phase: velerov1.ServerStatusRequestPhaseProcessed, ProcessedTimestamp: &now,
		ServerVersion: f.Version, Plugins: []velerov1.PluginInfo{},
	}
	_, err := f.statuses.objects.UpdateStatus(ctx, r)
	return err
}

// collect deletes the requests answered long enough ago: server status
// requests after a minute, download requests once their URL expired.
func (f *Face) collect(ctx context.Context) {
	for _, r := range f.statuses.all() {
		if processedAt(r.Status.ProcessedTimestamp) {
			_ = f.statuses.objects.Delete(ctx, r.Name)
		}
	}
	for _, r := range f.downloads.all() {
		if e := r.Status.Expiration; e != nil && e.Before(&metav1.Time{Time: metav1.Now().Time}) {
			_ = f.downloads.objects.Delete(ctx, r.Name)
		}
	}
}
