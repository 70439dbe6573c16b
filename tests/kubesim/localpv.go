package kubesim

import (
	"hash/fnv"
	"os"

	corev1 "k8s.io/api/core/v1"
)

// makeLocal turns pv into a `local` PV on one of the real nodes, chosen by
// its name, with its folder in the PV store; the scheduler then puts the
// claim's pods on that node and its kubelet bind-mounts the folder at
// <pods>/<uid>/volumes/kubernetes.io~local-volume/<pv>.
func (s *Sim) makeLocal(pv *corev1.PersistentVolume) error {
	dir := s.pvStoreDir(pv.Name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(pv.Name))
	node := s.cfg.LocalNodes[int(h.Sum32())%len(s.cfg.LocalNodes)]
	pv.Spec.PersistentVolumeSource = corev1.PersistentVolumeSource{Local: &corev1.LocalVolumeSource{Path: dir}}
	pv.Spec.NodeAffinity = &corev1.VolumeNodeAffinity{Required: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
		MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "kubernetes.io/hostname", Operator: corev1.NodeSelectorOpIn, Values: []string{node}}},
	}}}}
	return nil
}
