package testbed

import (
	"bytes"
	"context"
	"testing"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"
)

// CheckHistories fetches every event of the workflows and fails when one
// holds a secret.
func (bed *Bed) CheckHistories(t testing.TB, ctx context.Context, secrets map[string]string, ids ...string) {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: bed.Temporal.Namespace(),
		Logger: nil})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, id := range ids {
		var all bytes.Buffer
		events := 0
		it := c.GetWorkflowHistory(ctx, id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			data, err := protojson.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			all.Write(data)
			events++
		}
		if events < 10 {
			t.Errorf("%s: only %d events", id, events)
		}
		for what, s := range secrets {
			if s == "" {
				t.Fatalf("%s is empty", what)
			}
			if bytes.Contains(all.Bytes(), []byte(s)) {
				t.Errorf("the history of %s holds %s", id, what)
			}
		}
	}
}
