package restore

import (
	"slices"
	"strings"
)

// DefaultPriorities is Velero 1.18.3's --restore-resource-priorities: the
// high list, "-", the low list.
var DefaultPriorities = []string{
	"customresourcedefinitions", "namespaces", "storageclasses",
	"volumesnapshotclass.snapshot.storage.k8s.io", "volumesnapshotcontents.snapshot.storage.k8s.io",
	"volumesnapshots.snapshot.storage.k8s.io", "datauploads.velero.io", "persistentvolumes",
	"persistentvolumeclaims", "clusterroles", "roles", "serviceaccounts", "clusterrolebindings",
	"rolebindings", "secrets", "configmaps", "limitranges", "priorityclasses", "pods", "replicasets.apps",
	"clusterclasses.cluster.x-k8s.io", "endpoints", "services",
	"-",
	"clusterbootstraps.run.tanzu.vmware.com", "clusters.cluster.x-k8s.io",
	"clusterresourcesets.addons.cluster.x-k8s.io", "apps.kappctrl.k14s.io", "packageinstalls.packaging.carvel.dev",
}

// NeverRestored are the resources Velero never restores.
var NeverRestored = []string{
	"nodes", "events", "events.events.k8s.io", "backups.velero.io", "restores.velero.io",
	"resticrepositories.velero.io", "csinodes.storage.k8s.io", "volumeattachments.storage.k8s.io",
	"backuprepositories.velero.io",
}

// Order sorts resource names ("pods", "deployments.apps") for restore: the
// high list in its order, then the rest alphabetically, then the low list.
// Short core names in the lists ("customresourcedefinitions", "roles") match
// the resource's full name by its plural, as Velero resolves them.
func Order(priorities, resources []string) []string {
	high, low, _ := cutSeparator(priorities)
	rank := func(r string) (group, pos int) {
		if i := indexOf(high, r); i >= 0 {
			return 0, i
		}
		if i := indexOf(low, r); i >= 0 {
			return 2, i
		}
		return 1, 0
	}
	out := slices.Clone(resources)
	slices.SortStableFunc(out, func(a, b string) int {
		ga, pa := rank(a)
		gb, pb := rank(b)
		if ga != gb {
			return ga - gb
		}
		if pa != pb {
			return pa - pb
		}
		return strings.Compare(a, b)
	})
	return out
}

func cutSeparator(list []string) (high, low []string, ok bool) {
	i := slices.Index(list, "-")
	if i < 0 {
		return list, nil, false
	}
	return list[:i], list[i+1:], true
}

// indexOf finds resource r in a priority list. An entry without a group
// matches a resource of any group with that plural when no core resource
// has it (Velero's "customresourcedefinitions", "storageclasses").
func indexOf(list []string, r string) int {
	for i, e := range list {
		if e == r || knownUngrouped[e] == r {
			return i
		}
	}
	return -1
}

// knownUngrouped maps the group-less names in Velero's list to the
// resources they mean.
var knownUngrouped = map[string]string{
	"customresourcedefinitions": "customresourcedefinitions.apiextensions.k8s.io",
	"namespaces":                "namespaces",
	"storageclasses":            "storageclasses.storage.k8s.io",
	"persistentvolumes":         "persistentvolumes",
	"persistentvolumeclaims":    "persistentvolumeclaims",
	"clusterroles":              "clusterroles.rbac.authorization.k8s.io",
	"roles":                     "roles.rbac.authorization.k8s.io",
	"serviceaccounts":           "serviceaccounts",
	"clusterrolebindings":       "clusterrolebindings.rbac.authorization.k8s.io",
	"rolebindings":              "rolebindings.rbac.authorization.k8s.io",
	"secrets":                   "secrets",
	"configmaps":                "configmaps",
	"limitranges":               "limitranges",
	"priorityclasses":           "priorityclasses.scheduling.k8s.io",
	"pods":                      "pods",
	"endpoints":                 "endpoints",
	"services":                  "services",
	"nodes":                     "nodes",
	"events":                    "events",
}

func neverRestored(r string) bool { return slices.Contains(NeverRestored, r) }
