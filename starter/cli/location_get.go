package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/activities/locations"
)

func newLocationGetCommand(k *kubeFlags) *cobra.Command {
	var output string
	var onlyDefault bool
	cmd := &cobra.Command{
		Use:   "get [NAME]",
		Short: "List backup storage locations, or show one",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "table" && output != "json" && output != "yaml" {
				return fmt.Errorf("unknown -o %q: use table, json or yaml", output)
			}
			store, err := k.locationStore()
			if err != nil {
				return err
			}
			var locs []locations.Location
			if len(args) == 1 {
				loc, err := store.Get(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				locs = []locations.Location{loc}
			} else if locs, err = store.List(cmd.Context()); err != nil {
				return err
			}
			if onlyDefault {
				var def []locations.Location
				for _, l := range locs {
					if l.Spec.Default {
						def = append(def, l)
					}
				}
				locs = def
			}
			var doc any = locs
			if len(args) == 1 && len(locs) == 1 {
				doc = locs[0]
			}
			return printLocations(cmd.OutOrStdout(), output, doc, locs)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	cmd.Flags().BoolVar(&onlyDefault, "default", false, "show only the default location")
	return cmd
}

// printLocations prints doc as JSON or YAML, or locs as Velero's table.
func printLocations(w io.Writer, format string, doc any, locs []locations.Location) error {
	switch format {
	case "json":
		data, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", data)
		return err
	case "yaml":
		data, err := yaml.Marshal(doc)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	tw := tabwriter.NewWriter(w, 6, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPROVIDER\tBUCKET/PREFIX\tPHASE\tLAST VALIDATED\tACCESS MODE\tDEFAULT")
	for _, l := range locs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Name, l.Spec.Provider, bucketPrefix(l.Spec),
			phase(l.Status), lastValidated(l.Status), l.Spec.Mode(), defaultMark(l.Spec))
	}
	return tw.Flush()
}

func bucketPrefix(s locations.Spec) string {
	where := s.Bucket
	if s.Provider == locations.ProviderLocal {
		where = s.Path
	}
	if s.Prefix != "" {
		where += "/" + s.Prefix
	}
	return where
}

func phase(st locations.Status) string {
	if st.Phase == "" {
		return "Unknown"
	}
	return string(st.Phase)
}

// lastValidated prints the time as Velero does, in the local zone.
func lastValidated(st locations.Status) string {
	if st.LastValidationTime.IsZero() {
		return "<unknown>"
	}
	return st.LastValidationTime.Local().Format("2006-01-02 15:04:05 -0700 MST")
}

func defaultMark(s locations.Spec) string {
	if s.Default {
		return "true"
	}
	return ""
}
