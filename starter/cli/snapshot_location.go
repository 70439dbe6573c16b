package cli

import (
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/starter/velerostore"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// noSnapshots is said whenever a snapshot location is made or changed:
// Cairn keeps the object for the manifests and scripts that name it, and
// takes no snapshots with it.
const noSnapshots = "Cairn takes no volume snapshots (it backs volumes up from the file system, Velero's fs-backup); the location is kept for the manifests and scripts that name it"

// newSnapshotLocationCommand is Velero's `snapshot-location`: the
// velero.io/v1 VolumeSnapshotLocation objects of Cairn's namespace.
func newSnapshotLocationCommand(kube *kubeFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "snapshot-location",
		Aliases: []string{"snapshot-locations"},
		Short:   "Work with volume snapshot locations (kept for Velero's manifests and scripts; Cairn takes no volume snapshots)",
		Args:    cobra.NoArgs,
	}
	cmd.AddCommand(newSnapshotLocationCreate(kube), newSnapshotLocationGet(kube), newSnapshotLocationSet(kube), newSnapshotLocationDelete(kube))
	return cmd
}

// snapshotLocations opens the VolumeSnapshotLocations of Cairn's namespace.
func (k *kubeFlags) snapshotLocations() (velerostore.Store[velerov1.VolumeSnapshotLocation], error) {
	cfg, err := k.restConfig()
	if err != nil {
		return velerostore.Store[velerov1.VolumeSnapshotLocation]{}, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return velerostore.Store[velerov1.VolumeSnapshotLocation]{}, err
	}
	return velerostore.For[velerov1.VolumeSnapshotLocation](dyn, velerov1.VolumeSnapshotLocationsResource, k.cairnNamespace()), nil
}

func newSnapshotLocationCreate(kube *kubeFlags) *cobra.Command {
	var (
		provider           string
		config, labels, cr keyValues
		output             string
	)
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a volume snapshot location",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			credential, err := snapshotCredential(cr)
			if err != nil {
				return err
			}
			if err := checkSnapshotLocation(args[0], provider, output); err != nil {
				return err
			}
			vsl := &velerov1.VolumeSnapshotLocation{
				TypeMeta:   metav1.TypeMeta{APIVersion: velerov1.SchemeGroupVersion.String(), Kind: "VolumeSnapshotLocation"},
				ObjectMeta: metav1.ObjectMeta{Name: args[0], Namespace: kube.cairnNamespace(), Labels: labels},
				Spec:       velerov1.VolumeSnapshotLocationSpec{Provider: provider, Config: config, Credential: credential},
			}
			if output != "" {
				return printObjects(cmd.OutOrStdout(), output, &velerov1.VolumeSnapshotLocationList{Items: []velerov1.VolumeSnapshotLocation{*vsl}})
			}
			store, err := kube.snapshotLocations()
			if err != nil {
				return err
			}
			if _, err := store.Create(cmd.Context(), vsl); err != nil {
				return fmt.Errorf("creating volume snapshot location %q: %w", args[0], err)
			}
			note(cmd, noSnapshots)
			fmt.Fprintf(cmd.OutOrStdout(), "Snapshot volume location %q configured successfully.\n", args[0])
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&provider, "provider", "", "name of the volume snapshot provider (aws, azure, gcp, ...)")
	f.Var(&config, "config", "configuration key=value pairs")
	f.Var(&labels, "labels", "labels to apply to the volume snapshot location")
	f.Var(&cr, "credential", "the credential of the location as secret=key: the Secret's name and the key in it (one pair)")
	f.StringVarP(&output, "output", "o", "", "print the location as json or yaml instead of creating it")
	return cmd
}

// checkSnapshotLocation refuses, before anything is written, what Velero
// refuses and a name Kubernetes would.
func checkSnapshotLocation(name, provider, output string) error {
	if msgs := validation.IsDNS1123Subdomain(name); len(msgs) > 0 {
		return fmt.Errorf("invalid volume snapshot location name %q: %s", name, msgs[0])
	}
	if provider == "" {
		return fmt.Errorf("--provider is required, such as --provider aws")
	}
	if output != "" && output != "json" && output != "yaml" {
		return fmt.Errorf("unknown output format %q: use json or yaml", output)
	}
	return nil
}

// snapshotCredential is the --credential pair as a Secret key selector.
func snapshotCredential(cr keyValues) (*corev1.SecretKeySelector, error) {
	switch len(cr) {
	case 0:
		return nil, nil
	case 1:
		for secret, key := range cr {
			return &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: secret}, Key: key}, nil
		}
	}
	return nil, fmt.Errorf("--credential can only contain 1 key/value pair")
}

func newSnapshotLocationGet(kube *kubeFlags) *cobra.Command {
	var output, selector string
	cmd := &cobra.Command{
		Use:   "get [NAME...]",
		Short: "Get volume snapshot locations",
		RunE: func(cmd *cobra.Command, names []string) error {
			store, err := kube.snapshotLocations()
			if err != nil {
				return err
			}
			list, err := store.List(cmd.Context(), metav1.ListOptions{LabelSelector: selector})
			if err != nil {
				return fmt.Errorf("listing the volume snapshot locations: %w", err)
			}
			if len(names) > 0 {
				list = slices.DeleteFunc(list, func(l velerov1.VolumeSnapshotLocation) bool { return !slices.Contains(names, l.Name) })
				for _, n := range names {
					if !slices.ContainsFunc(list, func(l velerov1.VolumeSnapshotLocation) bool { return l.Name == n }) {
						return fmt.Errorf("volume snapshot location %q not found in namespace %s", n, kube.cairnNamespace())
					}
				}
			}
			if output != "table" {
				return printObjects(cmd.OutOrStdout(), output, &velerov1.VolumeSnapshotLocationList{Items: list})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tPROVIDER")
			for _, l := range list {
				fmt.Fprintf(tw, "%s\t%s\n", l.Name, l.Spec.Provider)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "only show items matching this label selector")
	return cmd
}

func newSnapshotLocationSet(kube *kubeFlags) *cobra.Command {
	var cr keyValues
	cmd := &cobra.Command{
		Use:   "set NAME",
		Short: "Set the credential of a volume snapshot location",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			credential, err := snapshotCredential(cr)
			if err != nil {
				return err
			}
			store, err := kube.snapshotLocations()
			if err != nil {
				return err
			}
			vsl, err := store.Get(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("volume snapshot location %q: %w", args[0], err)
			}
			vsl.Spec.Credential = credential
			if _, err := store.Update(cmd.Context(), vsl); err != nil {
				return fmt.Errorf("updating volume snapshot location %q: %w", args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Volume snapshot location %q configured successfully.\n", args[0])
			return nil
		},
	}
	cmd.Flags().Var(&cr, "credential", "the credential of the location as secret=key (one pair; none removes it)")
	return cmd
}

func newSnapshotLocationDelete(kube *kubeFlags) *cobra.Command {
	var confirm bool
	cmd := &cobra.Command{
		Use:   "delete NAME...",
		Short: "Delete volume snapshot locations",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, names []string) error {
			store, err := kube.snapshotLocations()
			if err != nil {
				return err
			}
			for _, n := range names {
				if _, err := store.Get(cmd.Context(), n); err != nil {
					return fmt.Errorf("volume snapshot location %q: %w", n, err)
				}
			}
			if !confirm && !confirmed(cmd, fmt.Sprintf("You are about to delete %d volume snapshot location(s): %s.", len(names), orNone(names, ""))) {
				return nil
			}
			for _, n := range names {
				if err := store.Delete(cmd.Context(), n); err != nil && !apierrors.IsNotFound(err) {
					return fmt.Errorf("deleting volume snapshot location %q: %w", n, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Volume snapshot location %q deleted.\n", n)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "delete without asking")
	return cmd
}
