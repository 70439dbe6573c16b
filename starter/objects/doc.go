// Package objects turns Cairn's backups, restores, schedules, locations and
// repositories into the velero.io/v1 objects that Velero's CLI, kubectl and
// GitOps tools read, and the objects users write back into the inputs of
// Cairn's workflows. It is pure conversion: no I/O, so `cairn -o yaml` and
// the Kubernetes face (package face) print and store the same objects.
package objects
