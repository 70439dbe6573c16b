// Package cluster scopes what Cairn names in Temporal to one Kubernetes
// cluster, so that several clusters can share one Temporal namespace.
//
// A cluster with a name puts "<name>/" in front of every task queue,
// workflow ID and schedule ID Cairn makes, and sets the CairnCluster
// search attribute on its workflows; the lists Cairn queries then see only
// that cluster's. A cluster with no name keeps the names as they are
// ("cairn", "backup/<name>"), and sees only the workflows that carry no
// cluster name.
package cluster

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// EnvVar is the variable that names the cluster when no flag does.
const EnvVar = "CAIRN_CLUSTER_NAME"

// Attr is the search attribute that holds a scoped workflow's cluster name.
const Attr = "CairnCluster"

// maxLength keeps scoped names well inside Temporal's limits.
const maxLength = 40

// Name is a cluster's name; the empty Name is the unnamed cluster.
type Name string

// Check says what is wrong with the name, nil when nothing is.
func (n Name) Check() error {
	if n == "" {
		return nil
	}
	msgs := validation.IsDNS1123Label(string(n))
	if len(n) > maxLength {
		msgs = append(msgs, fmt.Sprintf("must be no more than %d characters", maxLength))
	}
	if len(msgs) > 0 {
		return fmt.Errorf("cluster name %q is not valid: %s; use lowercase letters, digits and '-', such as prod-eu-1 (--cluster-name or $%s)",
			string(n), strings.Join(msgs, "; "), EnvVar)
	}
	return nil
}

// Scope is name in the cluster: name itself for the unnamed cluster,
// "<cluster>/<name>" for a named one. It serves task queues, workflow IDs
// and schedule IDs alike.
func (n Name) Scope(name string) string {
	if n == "" {
		return name
	}
	return string(n) + "/" + name
}

// Unscope is the inverse of Scope: the name inside the cluster, and
// whether scoped is one of the cluster's names.
func (n Name) Unscope(scoped string) (string, bool) {
	if n == "" {
		return scoped, true
	}
	return strings.CutPrefix(scoped, string(n)+"/")
}

// Query restricts a visibility query to the cluster's workflows: those
// whose CairnCluster is the name, or that have none for the unnamed
// cluster.
func (n Name) Query(query string) string {
	clause := Attr + " IS NULL"
	if n != "" {
		clause = fmt.Sprintf("%s = '%s'", Attr, string(n))
	}
	if query == "" {
		return clause
	}
	return "(" + query + ") AND " + clause
}

// OfQueue is the cluster whose task queue queue is, given the unscoped
// name base of that queue: OfQueue("prod/cairn", "cairn") is "prod".
func OfQueue(queue, base string) Name {
	prefix, ok := strings.CutSuffix(queue, "/"+base)
	if !ok {
		return ""
	}
	return Name(prefix)
}
