package cli

import (
	"errors"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newRepoKeyCommand(f *repoFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "key", Short: "Manage the repository's keys (passwords)"}
	var newPasswordFile string
	newPassword := func() (string, error) {
		if newPasswordFile != "" {
			return readPasswordFile(newPasswordFile)
		}
		if pw := os.Getenv("CAIRN_NEW_REPO_PASSWORD"); pw != "" {
			return pw, nil
		}
		return "", errors.New("no new password: pass --new-password-file or set CAIRN_NEW_REPO_PASSWORD")
	}
	list := &cobra.Command{
		Use: "list", Short: "List keys", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := f.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer r.Close()
			keys, err := r.ListKeys(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, " ID\tUser\tHost\tCreated")
			for _, k := range keys {
				mark := " "
				if k.Current {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\n", mark, k.ID.String()[:8], k.Username, k.Hostname,
					k.Created.Local().Format(time.DateTime))
			}
			return tw.Flush()
		},
	}
	add := &cobra.Command{
		Use: "add", Short: "Add a key with a new password", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := newPassword()
			if err != nil {
				return err
			}
			r, err := f.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer r.Close()
			id, err := r.AddKey(cmd.Context(), pw)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "saved new key as %s\n", id.String()[:8])
			return nil
		},
	}
	remove := &cobra.Command{
		Use: "remove ID", Short: "Remove a key (not the one in use)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := f.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer r.Close()
			if err := r.RemoveKey(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed key %s\n", args[0])
			return nil
		},
	}
	passwd := &cobra.Command{
		Use: "passwd", Short: "Change the password of the key in use", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := newPassword()
			if err != nil {
				return err
			}
			r, err := f.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer r.Close()
			id, err := r.ChangePassword(cmd.Context(), pw)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "saved new password as key %s\n", id.String()[:8])
			return nil
		},
	}
	for _, c := range []*cobra.Command{add, passwd} {
		c.Flags().StringVar(&newPasswordFile, "new-password-file", "", "read the new password from this file")
	}
	cmd.AddCommand(list, add, remove, passwd)
	return cmd
}
