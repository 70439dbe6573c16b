package testbed

import corev1 "k8s.io/api/core/v1"

// BusyboxImage is the shell image every node of a bed runs: real nodes
// have it imported into their containerd, simulated nodes run any image.
const BusyboxImage = "busybox:1.35"

// IdleContainer is a container that runs until its pod is deleted, and
// then stops at once, on real and simulated nodes alike.
func IdleContainer(name string, mounts ...corev1.VolumeMount) corev1.Container {
	return corev1.Container{
		Name: name, Image: BusyboxImage, ImagePullPolicy: corev1.PullIfNotPresent,
		Command:      []string{"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"},
		VolumeMounts: mounts,
	}
}
