package cli

import (
	"errors"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// restoreUnsupported holds Velero's restore flags for what Cairn does not
// do, so that scripts that pass them get an answer, not "unknown flag":
// refused when they ask for it, noted when they cannot matter.
type restoreUnsupported struct {
	modifiers, policies string
	itemOpTimeout       time.Duration
	parallelDownload    int
	sparse              bool
}

func (u *restoreUnsupported) register(f *pflag.FlagSet) {
	f.StringVar(&u.modifiers, "resource-modifier-configmap", "", "resource modifiers (not supported yet: refused when set)")
	f.StringVar(&u.policies, "resource-policies-configmap", "", "volume policies (not supported yet: refused when set)")
	f.DurationVar(&u.itemOpTimeout, "item-operation-timeout", 0, "how long to wait for asynchronous item operations (Cairn runs none: has no effect)")
	f.IntVar(&u.parallelDownload, "parallel-files-download", 0, "files downloaded at once per pod volume (Cairn's node agents choose: has no effect)")
	f.BoolVar(&u.sparse, "write-sparse-files", false, "write sparse files when restoring volumes (has no effect: Cairn writes the files whole)")
}

// refuse fails for a flag that asks what Cairn cannot do, and notes on
// stderr the flags that cannot matter.
func (u *restoreUnsupported) refuse(cmd *cobra.Command) error {
	switch {
	case u.modifiers != "":
		return errors.New("--resource-modifier-configmap: resource modifiers are not supported yet; patch the restored objects afterwards")
	case u.policies != "":
		return errors.New("--resource-policies-configmap: volume policies are not supported yet")
	}
	for _, flag := range []string{"item-operation-timeout", "parallel-files-download", "write-sparse-files"} {
		if cmd.Flags().Changed(flag) {
			note(cmd, "--"+flag+" has no effect in Cairn")
		}
	}
	return nil
}
