package cli

import (
	"cmp"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/worker"
)

// kubeFlags are the global flags that say which cluster, and which
// namespace of it Cairn lives in.
type kubeFlags struct {
	kubeconfig string
	context    string
	namespace  string
	// configured is the namespace of the client configuration
	// (`cairn client config set namespace=...`), if any.
	configured string
	// qps and burst bound the requests per second to the apiserver
	// (Velero's --client-qps and --client-burst on its server).
	qps   float32
	burst int
}

// addKubeFlags registers --kubeconfig, --context and -n/--namespace on root
// for every command.
func addKubeFlags(root *cobra.Command) *kubeFlags {
	k := &kubeFlags{qps: worker.DefaultClientQPS, burst: worker.DefaultClientBurst}
	pf := root.PersistentFlags()
	pf.StringVar(&k.kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
	pf.StringVar(&k.context, "context", "", "kubeconfig context (default: the current context)")
	pf.StringVarP(&k.namespace, "namespace", "n", "", "Cairn's namespace (default: $"+locations.NamespaceEnv+", else the client configuration's, else "+locations.DefaultNamespace+")")
	return k
}

// cairnNamespace is the namespace Cairn keeps its objects in.
func (k *kubeFlags) cairnNamespace() string {
	return cmp.Or(k.namespace, os.Getenv(locations.NamespaceEnv), k.configured, locations.DefaultNamespace)
}

// addClientRateFlags registers --client-qps and --client-burst on a
// long-running command.
func (k *kubeFlags) addClientRateFlags(cmd *cobra.Command) {
	cmd.Flags().Float32Var(&k.qps, "client-qps", worker.DefaultClientQPS, "maximum requests per second to the Kubernetes API server")
	cmd.Flags().IntVar(&k.burst, "client-burst", worker.DefaultClientBurst, "maximum burst of requests to the Kubernetes API server")
}

// restConfig loads the kubeconfig and context, with the client rate limits.
func (k *kubeFlags) restConfig() (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = k.kubeconfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: k.context}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("loading the kubeconfig: %w", err)
	}
	cfg.QPS, cfg.Burst = k.qps, k.burst
	return cfg, nil
}

// clientset connects to the cluster of the kubeconfig and context.
func (k *kubeFlags) clientset() (kubernetes.Interface, error) {
	cfg, err := k.restConfig()
	if err != nil {
		return nil, err
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
