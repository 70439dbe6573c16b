package testbed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/podvolume"
)

// PodVolumeDir returns the folder of a pod's volume on its node, as a kubelet
// lays it out, waiting (up to a minute) until the pod runs and the folder exists.
func (b *Bed) PodVolumeDir(ctx context.Context, namespace, pod, volume string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		dir, err := b.podVolumeDir(ctx, namespace, pod, volume)
		if err == nil {
			if _, err = os.Stat(dir); err == nil {
				return dir, nil
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("volume %s of pod %s/%s: %w (last: %v)", volume, namespace, pod, ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (b *Bed) podVolumeDir(ctx context.Context, namespace, name, volume string) (string, error) {
	pod, err := b.Kube.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return "", err
	}
	if pod.Spec.NodeName == "" || pod.Status.Phase != corev1.PodRunning {
		return "", fmt.Errorf("pod is %s on node %q", pod.Status.Phase, pod.Spec.NodeName)
	}
	for _, v := range pod.Spec.Volumes {
		if v.Name != volume {
			continue
		}
		pv := ""
		if v.PersistentVolumeClaim != nil {
			pvc, err := b.Kube.CoreV1().PersistentVolumeClaims(namespace).Get(ctx, v.PersistentVolumeClaim.ClaimName, metav1.GetOptions{})
			if err != nil {
				return "", err
			}
			pv = pvc.Spec.VolumeName
		}
		if pv == "" {
			pv = v.Name
		}
		// Found as the node agent finds it, in whichever layout the
		// volume's plugin (CSI, local, emptyDir) has.
		return podvolume.Dir(filepath.Join(b.NodesDir, pod.Spec.NodeName, "pods"), string(pod.UID), pv)
	}
	return "", fmt.Errorf("pod has no volume %q", volume)
}

// WriteFiles writes each file (a slash path relative to dir) with its contents.
func WriteFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Digest maps every regular file under dir (slash path) to the hex SHA-256 of
// its contents, so that trees of large files compare cheaply.
func Digest(dir string) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return out, err
}
