package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

// listOrDescribe returns every item when names is empty, else the named ones.
func listOrDescribe[T any](ctx context.Context, names []string, list func(context.Context) ([]T, error),
	describe func(context.Context, string) (T, error)) ([]T, error) {
	if len(names) == 0 {
		return list(ctx)
	}
	out := make([]T, 0, len(names))
	for _, name := range names {
		item, err := describe(ctx, name)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// describeEach describes the named items in turn, a blank line apart.
func describeEach[T any](cmd *cobra.Command, names []string, describe func(context.Context, string) (T, error),
	print func(T) error) error {
	for i, name := range names {
		if i > 0 {
			fmt.Fprintln(cmd.OutOrStdout())
		}
		item, err := describe(cmd.Context(), name)
		if err != nil {
			return err
		}
		if err := print(item); err != nil {
			return err
		}
	}
	return nil
}
