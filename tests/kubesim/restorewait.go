package kubesim

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/cairn-backup/cairn/activities/podvolume"
)

// restoreWait plays a restored pod's restore-wait init container, which
// runs `cairn restore-helper <restore>`: it reports done once every volume
// the container mounts under /restores holds the restore's done-marker, and
// then removes the markers as the helper does. A pod without the container
// is done at once.
func (s *Sim) restoreWait(pod *corev1.Pod) error {
	for _, c := range pod.Spec.InitContainers {
		if c.Name != podvolume.InitContainerName || len(c.Args) == 0 {
			continue
		}
		if initDone(pod, c.Name) {
			return nil
		}
		restore := c.Args[len(c.Args)-1]
		var dirs []string
		for _, m := range c.VolumeMounts {
			if !strings.HasPrefix(m.MountPath, podvolume.HelperMountRoot+"/") {
				continue
			}
			dir, err := s.hostDir(pod, m.Name)
			if err != nil {
				return err
			}
			dirs = append(dirs, dir)
		}
		if missing := podvolume.Missing(dirs, restore); missing != "" {
			return &waitError{after: 300 * time.Millisecond,
				msg: fmt.Sprintf("pod %s/%s: %s waits for %s", pod.Namespace, pod.Name, c.Name, filepath.Join(missing, podvolume.MarkerDir, restore))}
		}
		return podvolume.RemoveMarkers(dirs)
	}
	return nil
}

// initDone reports whether the pod's status shows init container name
// completed.
func initDone(pod *corev1.Pod, name string) bool {
	for _, st := range pod.Status.InitContainerStatuses {
		if st.Name == name && st.State.Terminated != nil && st.State.Terminated.ExitCode == 0 {
			return true
		}
	}
	return false
}

// hostDir is the node folder of the pod's volume name.
func (s *Sim) hostDir(pod *corev1.Pod, name string) (string, error) {
	for _, vol := range pod.Spec.Volumes {
		if vol.Name != name {
			continue
		}
		pvName := ""
		if vol.PersistentVolumeClaim != nil {
			obj, ok, _ := s.pvcStore.GetByKey(pod.Namespace + "/" + vol.PersistentVolumeClaim.ClaimName)
			if !ok {
				return "", fmt.Errorf("pod %s/%s: claim %s not found", pod.Namespace, pod.Name, vol.PersistentVolumeClaim.ClaimName)
			}
			pvName = obj.(*corev1.PersistentVolumeClaim).Spec.VolumeName
		}
		if dir := VolumeDir(s.cfg.NodesDir, pod.Spec.NodeName, string(pod.UID), vol, pvName); dir != "" {
			return dir, nil
		}
	}
	return "", fmt.Errorf("pod %s/%s: init container mounts volume %s, which has no folder", pod.Namespace, pod.Name, name)
}
