package buildinfo

import "testing"

func TestIdentityRoundTrip(t *testing.T) {
	i := Info{Version: "v0.2.0", Commit: "abc"}
	id := i.Identity(4242, "node-1.example", "cairn-server")
	if id != "4242@node-1.example@cairn-server/v0.2.0" {
		t.Fatalf("identity %q", id)
	}
	kind, v, ok := ParseIdentity(id)
	if !ok || kind != "cairn-server" || v != "v0.2.0" {
		t.Fatalf("parsed %q %q %v", kind, v, ok)
	}
	for _, other := range []string{"4242@host", "12@host@other/v1", "", "@"} {
		if _, _, ok := ParseIdentity(other); ok {
			t.Errorf("%q parsed as Cairn's", other)
		}
	}
	if Get().Version == "" || Get().Commit == "" {
		t.Errorf("build %+v", Get())
	}
}
