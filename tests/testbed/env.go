package testbed

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Var is one environment variable of the test bed.
type Var struct{ Name, Value string }

// Env lists the variables that point clients at the test bed, in the order
// .dev/env writes them.
func (b *Bed) Env() []Var {
	vars := []Var{
		{"KUBECONFIG", b.Kubeconfig},
		{"CAIRN_TEMPORAL_ADDRESS", b.Temporal.HostPort()},
		{"CAIRN_TEMPORAL_NAMESPACE", b.Temporal.Namespace()},
		{"CAIRN_TEMPORAL_UI", b.Temporal.UIURL()},
		{"CAIRN_S3_URL", b.S3.URL},
		{"CAIRN_S3_BUCKET", b.S3.Bucket},
		{"CAIRN_S3_REGION", b.S3.Region},
		{"AWS_ACCESS_KEY_ID", b.S3.AccessKey},
		{"AWS_SECRET_ACCESS_KEY", b.S3.SecretKey},
		{"AWS_REGION", b.S3.Region},
		{"CAIRN_DEV_NODES_DIR", b.NodesDir},
		{"CAIRN_DEV_NODES", strings.Join(b.Nodes, ",")},
	}
	if b.Real != nil {
		vars = append(vars, Var{"CAIRN_DEV_REAL_NODES", "1"})
	}
	if dir, err := ToolsDir(); err == nil {
		vars = append(vars, Var{ToolsEnv, dir})
	}
	vars = append(vars, b.temporalEnv()...)
	return append(vars, b.ExtraEnv...)
}

// WriteEnv writes the variables as `export NAME='value'` lines, for `. .dev/env`.
func (b *Bed) WriteEnv(path string) error {
	var sb strings.Builder
	sb.WriteString("# Written by `make dev-up`: point kubectl, cairn and the AWS CLI at the dev stack.\n")
	for _, v := range b.Env() {
		fmt.Fprintf(&sb, "export %s='%s'\n", v.Name, strings.ReplaceAll(v.Value, "'", `'\''`))
	}
	// kubectl (built with the control plane), restic and bin/cairn come first on the PATH.
	if dir, err := ToolsDir(); err == nil {
		dirs := dir
		if root, err := ModuleRoot(); err == nil {
			dirs = filepath.Join(root, "bin") + ":" + dirs
		}
		fmt.Fprintf(&sb, "export PATH=\"%s:$PATH\"\n", dirs)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(sb.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
