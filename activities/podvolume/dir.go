package podvolume

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultPodsDir is where the kubelet keeps its pods.
const DefaultPodsDir = "/var/lib/kubelet/pods"

// Dir finds the folder that holds a pod volume's files under the kubelet's
// pods folder: <podsDir>/<pod-uid>/volumes/<plugin>/<name>, where name is
// the PersistentVolume's name for a claim and the volume's own name
// otherwise, with the CSI plugin's extra /mount. It looks through every
// plugin's folder, so CSI, emptyDir and in-tree volume plugins all work.
func Dir(podsDir, podUID, name string) (string, error) {
	if podUID == "" || name == "" || filepath.Base(podUID) != podUID || filepath.Base(name) != name {
		return "", fmt.Errorf("invalid pod uid %q or volume %q", podUID, name)
	}
	pattern := filepath.Join(podsDir, podUID, "volumes", "*", name)
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return "", err
	}
	for _, m := range matches {
		if fi, err := os.Stat(filepath.Join(m, "mount")); err == nil && fi.IsDir() {
			return filepath.Join(m, "mount"), nil
		}
		if fi, err := os.Stat(m); err == nil && fi.IsDir() {
			return m, nil
		}
	}
	if _, err := os.Stat(filepath.Join(podsDir, podUID)); err != nil {
		return "", fmt.Errorf("pod %s has no folder in %s on this node (is --pods-dir the kubelet's pods folder?): %w", podUID, podsDir, err)
	}
	return "", fmt.Errorf("volume %s of pod %s is not mounted under %s", name, podUID, filepath.Join(podsDir, podUID, "volumes"))
}
