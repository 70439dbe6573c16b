package deploy

import (
	"bytes"
	"context"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/cairn-backup/cairn/starter/cli"
)

// metricsPort is the port of --metrics-address in args.
func metricsPort(t *testing.T, args []string) int32 {
	t.Helper()
	i := slices.Index(args, "--metrics-address")
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("%q sets no --metrics-address", args)
	}
	_, p, err := net.SplitHostPort(args[i+1])
	port, err2 := strconv.Atoi(p)
	if err != nil || err2 != nil {
		t.Fatalf("--metrics-address %q: %v %v", args[i+1], err, err2)
	}
	return int32(port)
}

// TestManifestFlagsExist runs `cairn <command> --help` for the commands the
// manifests run and checks that each flag they pass exists.
func TestManifestFlagsExist(t *testing.T) {
	objs := render(t)
	for _, args := range [][]string{
		find[*appsv1.Deployment](t, objs, "cairn").Spec.Template.Spec.Containers[0].Args,
		find[*appsv1.DaemonSet](t, objs, "cairn-node-agent").Spec.Template.Spec.Containers[0].Args,
	} {
		var out, errOut bytes.Buffer
		if code := cli.Run(context.Background(), []string{args[0], "--help"}, &out, &errOut); code != 0 {
			t.Fatalf("cairn %s --help: exit %d: %s", args[0], code, errOut.String())
		}
		if !strings.Contains(out.String(), "Usage:\n  cairn "+args[0]) {
			t.Errorf("cairn %s --help prints the help of another command:\n%s", args[0], out.String())
		}
		for _, a := range args[1:] {
			if strings.HasPrefix(a, "--") && !strings.Contains(out.String(), "  "+a+" ") {
				t.Errorf("cairn %s has no flag %s:\n%s", args[0], a, out.String())
			}
		}
	}
}
