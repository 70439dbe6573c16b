package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cairn-backup/cairn/activities/locations"
)

// kubeFlags are the global flags that say which cluster, and which
// namespace of it Cairn lives in.
type kubeFlags struct {
	kubeconfig string
	context    string
	namespace  string
}

// addKubeFlags registers --kubeconfig, --context and -n/--namespace on root
// for every command.
func addKubeFlags(root *cobra.Command) *kubeFlags {
	k := &kubeFlags{}
	pf := root.PersistentFlags()
	pf.StringVar(&k.kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
	pf.StringVar(&k.context, "context", "", "kubeconfig context (default: the current context)")
	pf.StringVarP(&k.namespace, "namespace", "n", "", "Cairn's namespace (default: $"+locations.NamespaceEnv+", else "+locations.DefaultNamespace+")")
	return k
}

// cairnNamespace is the namespace Cairn keeps its objects in.
func (k *kubeFlags) cairnNamespace() string {
	if k.namespace != "" {
		return k.namespace
	}
	if ns := os.Getenv(locations.NamespaceEnv); ns != "" {
		return ns
	}
	return locations.DefaultNamespace
}

// clientset connects to the cluster of the kubeconfig and context.
func (k *kubeFlags) clientset() (kubernetes.Interface, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = k.kubeconfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: k.context}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("loading the kubeconfig: %w", err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the cluster at %s: %w", cfg.Host, err)
	}
	return cs, nil
}

// locationStore opens the backup storage locations of Cairn's namespace.
func (k *kubeFlags) locationStore() (*locations.Store, error) {
	cs, err := k.clientset()
	if err != nil {
		return nil, err
	}
	return locations.NewStore(cs, k.cairnNamespace()), nil
}
