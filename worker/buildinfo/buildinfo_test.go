package buildinfo

import "testing"

func TestIdentityRoundTrip(t *testing.T) {
	i := Info{Version: "v0.2.0", Commit: "abc"}
	id := i.Identity(4242, "node-1.example", "cairn-server", "")
	if id != "4242@node-1.example@cairn-server/v0.2.0" {
		t.Fatalf("identity %q", id)
	}
	p, ok := ParseIdentity(id)
	if !ok || p != (Peer{Kind: "cairn-server", Version: "v0.2.0"}) {
		t.Fatalf("parsed %+v %v", p, ok)
	}
	id = i.Identity(4242, "node-1.example", "cairn-server", "0b5c-uid")
	if p, ok := ParseIdentity(id); !ok || p != (Peer{Kind: "cairn-server", Version: "v0.2.0", Cluster: "0b5c-uid"}) {
		t.Fatalf("%q parsed %+v %v", id, p, ok)
	}
	for _, other := range []string{"4242@host", "12@host@other/v1", "", "@"} {
		if _, ok := ParseIdentity(other); ok {
			t.Errorf("%q parsed as Cairn's", other)
		}
	}
	if Get().Version == "" || Get().Commit == "" {
		t.Errorf("build %+v", Get())
	}
}
