package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter/clientconfig"
)

// newClientCommand is Velero's `client config get|set`: the defaults of
// the CLI's flags, in the client configuration file.
func newClientCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "client", Short: "Work with the CLI's own configuration", Args: cobra.NoArgs}
	config := &cobra.Command{
		Use:   "config",
		Short: "Get and set the client configuration: the defaults of -n, --cluster-name, --temporal-address and --temporal-namespace",
		Long: "The client configuration holds defaults for flags: " + strings.Join(clientconfig.Keys(), ", ") +
			". A flag beats its environment variable, which beats the configuration.",
		Args: cobra.NoArgs,
	}
	config.AddCommand(newClientConfigGet(), newClientConfigSet())
	cmd.AddCommand(config)
	return cmd
}

func newClientConfigGet() *cobra.Command {
	return &cobra.Command{
		Use:   "get [KEY...]",
		Short: "Print the client configuration, or the keys named",
		RunE: func(cmd *cobra.Command, keys []string) error {
			for _, k := range keys {
				if err := clientconfig.Check(k, ""); err != nil {
					return err
				}
			}
			conf, err := clientconfig.Load()
			if err != nil {
				return err
			}
			if len(keys) == 0 {
				for _, k := range clientconfig.Keys() {
					if v, ok := conf[k]; ok {
						fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", k, v)
					}
				}
				return nil
			}
			for _, k := range keys {
				v, ok := conf[k]
				if !ok {
					v = "<NOT SET>"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", k, v)
			}
			return nil
		},
	}
}

func newClientConfigSet() *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY=VALUE [KEY=VALUE...]",
		Short: "Set client configuration values (an empty VALUE unsets the key)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set := map[string]string{}
			for _, arg := range args {
				k, v, ok := strings.Cut(arg, "=")
				if !ok {
					return fmt.Errorf("%q is not KEY=VALUE: use, for example, namespace=cairn", arg)
				}
				if err := clientconfig.Check(k, v); err != nil {
					return err
				}
				set[k] = v
			}
			conf, err := clientconfig.Load()
			if err != nil {
				return err
			}
			for k, v := range set {
				if v == "" {
					delete(conf, k)
				} else {
					conf[k] = v
				}
			}
			return conf.Save()
		},
	}
}
