package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/repo"
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
	// withNewPassword runs op with the new password on the open repository.
	withNewPassword := func(use, short, done string, op func(*repo.Repository, context.Context, string) (repo.ID, error)) *cobra.Command {
		return &cobra.Command{
			Use: use, Short: short, Args: cobra.NoArgs,
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
				id, err := op(r, cmd.Context(), pw)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", done, id.String()[:8])
				return nil
			},
		}
	}
	add := withNewPassword("add", "Add a key with a new password", "saved new key as", (*repo.Repository).AddKey)
	passwd := withNewPassword("passwd", "Change the password of the key in use", "saved new password as key",
		(*repo.Repository).ChangePassword)
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
	for _, c := range []*cobra.Command{add, passwd} {
		c.Flags().StringVar(&newPasswordFile, "new-password-file", "", "read the new password from this file")
	}
	cmd.AddCommand(list, add, remove, passwd)
	return cmd
}
