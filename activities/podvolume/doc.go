// Package podvolume holds the Kubernetes-side rules of file-system backups of
// pod volumes, as Velero's node agent applies them: which volumes of a pod
// are backed up (select.go), where the kubelet keeps their files (dir.go),
// how their snapshots are tagged (tags.go), and the done-marker a restored
// pod's init container waits for (marker.go). It does no Temporal work.
package podvolume
