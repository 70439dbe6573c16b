package worker

import (
	"testing"
	"time"

	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Only a recent cairn server of another cluster counts: not this
// cluster's, not one that names no cluster, not a node agent, not one
// that stopped polling.
func TestOtherCluster(t *testing.T) {
	now := time.Unix(1767225600, 0)
	poller := func(id string, ago time.Duration) *taskqueuepb.PollerInfo {
		return &taskqueuepb.PollerInfo{Identity: id, LastAccessTime: timestamppb.New(now.Add(-ago))}
	}
	pollers := []*taskqueuepb.PollerInfo{
		poller("1@a@cairn-server/v0.2.0/ours", 0),
		poller("2@b@cairn-server/v0.1.0", 0),
		poller("3@c@cairn-node-agent/v0.2.0/theirs", 0),
		poller("4@d@cairn-server/v0.2.0/theirs", 5*time.Minute),
		poller("5@e@some-other-client", 0),
	}
	if p, ok := otherCluster(pollers, "ours", now); ok {
		t.Fatalf("found %s", p.GetIdentity())
	}
	pollers = append(pollers, poller("6@f@cairn-server/v0.2.0/theirs", 30*time.Second))
	if p, ok := otherCluster(pollers, "ours", now); !ok || p.GetIdentity() != "6@f@cairn-server/v0.2.0/theirs" {
		t.Fatalf("found %v %v", p, ok)
	}
}
