package kubesim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
)

// Kubelet volume plugin folder names.
const (
	PluginCSI       = "kubernetes.io~csi"
	PluginEmptyDir  = "kubernetes.io~empty-dir"
	PluginConfigMap = "kubernetes.io~configmap"
	PluginSecret    = "kubernetes.io~secret"
	PluginProjected = "kubernetes.io~projected"
)

// PodDir is the kubelet's folder of a pod on a node.
func PodDir(nodesDir, node, podUID string) string {
	return filepath.Join(nodesDir, node, "pods", podUID)
}

// VolumeDir is where the kubelet mounts a pod volume: pvName is the bound PV
// for a PVC volume and "" for any other volume.
func VolumeDir(nodesDir, node, podUID string, vol corev1.Volume, pvName string) string {
	base := filepath.Join(PodDir(nodesDir, node, podUID), "volumes")
	switch {
	case vol.PersistentVolumeClaim != nil:
		return filepath.Join(base, PluginCSI, pvName, "mount")
	case vol.EmptyDir != nil:
		return filepath.Join(base, PluginEmptyDir, vol.Name)
	case vol.ConfigMap != nil:
		return filepath.Join(base, PluginConfigMap, vol.Name)
	case vol.Secret != nil:
		return filepath.Join(base, PluginSecret, vol.Name)
	case vol.Projected != nil:
		return filepath.Join(base, PluginProjected, vol.Name)
	default:
		return ""
	}
}

// pvStoreDir keeps a PV's contents while no pod mounts it.
func (s *Sim) pvStoreDir(pvName string) string {
	return filepath.Join(s.cfg.NodesDir, ".pv", pvName)
}

// mountPV makes dir hold the PV's contents: they move in from the PV store
// when no pod has them, else dir starts empty.
func (s *Sim) mountPV(pvName, dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
		return err
	}
	err := os.Rename(s.pvStoreDir(pvName), dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.Mkdir(dir, 0o777)
	}
	return err
}

// unmountPV moves a PV's contents back to the PV store.
func (s *Sim) unmountPV(pvName, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	store := s.pvStoreDir(pvName)
	if err := os.MkdirAll(filepath.Dir(store), 0o750); err != nil {
		return err
	}
	if err := os.RemoveAll(store); err != nil {
		return err
	}
	if err := os.Rename(dir, store); err != nil {
		return fmt.Errorf("kubesim: keeping the contents of PV %s: %w", pvName, err)
	}
	return nil
}
