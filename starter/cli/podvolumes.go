package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// printPodVolumeBackups prints Velero's "Pod Volume Backups" section: a
// count per phase, and with details each volume with its snapshot, counts,
// duration and phase, and the live bytes of those in progress.
func printPodVolumeBackups(w io.Writer, vols []metadata.PodVolumeBackup, live map[string]activities.PodVolumeProgress, details bool) {
	if details {
		fmt.Fprintln(w, "\nBackup Volumes:\n  Pod Volume Backups - restic:")
	} else {
		fmt.Fprintln(w, "\nBackup Volumes:\n  Pod Volume Backups - restic (specify --details for more information):")
	}
	if len(vols) == 0 {
		fmt.Fprintln(w, "    <none included>")
		return
	}
	if !details {
		counts := map[string]int{}
		var order []string
		for _, v := range vols {
			if counts[v.Phase] == 0 {
				order = append(order, v.Phase)
			}
			counts[v.Phase]++
		}
		for _, p := range order {
			fmt.Fprintf(w, "    %s:  %d\n", p, counts[p])
		}
		return
	}
	for _, v := range vols {
		pvc := v.PVC
		if pvc == "" {
			pvc = "<none>"
		}
		fmt.Fprintf(w, "    %s/%s: %s (PVC %s)\n", v.Namespace, v.Pod, v.Volume, pvc)
		fmt.Fprintf(w, "      Phase:     %s\n", v.Phase)
		if p, ok := live[v.Namespace+"/"+v.Pod+"/"+v.Volume]; ok && v.Phase == "InProgress" {
			fmt.Fprintf(w, "      Progress:  %s of %s, %d of %d files\n", humanBytes(p.BytesDone), humanBytes(p.TotalBytes), p.FilesDone, p.TotalFiles)
			continue
		}
		if v.Error != "" {
			fmt.Fprintf(w, "      Reason:    %s\n", v.Error)
		}
		if v.SnapshotID == "" {
			continue
		}
		fmt.Fprintf(w, "      Snapshot:  %s\n", v.SnapshotID)
		fmt.Fprintf(w, "      Files:     %d\n      Bytes:     %s (uploaded %s)\n", v.Files, humanBytes(v.Bytes), humanBytes(v.BytesUploaded))
		fmt.Fprintf(w, "      Duration:  %s\n", v.Duration.Round(time.Millisecond))
	}
}

// printPodVolumeRestores prints Velero's "Pod Volume Restores" section.
func printPodVolumeRestores(w io.Writer, vols []activities.PodVolumeRestoreResult) {
	fmt.Fprintln(w, "\nPod Volume Restores:")
	if len(vols) == 0 {
		fmt.Fprintln(w, "  <none included>")
		return
	}
	for _, v := range vols {
		fmt.Fprintf(w, "  %s/%s: %s  %s", v.Namespace, v.Pod, v.Volume, v.Phase)
		if v.Phase == metadata.VolumeCompleted {
			fmt.Fprintf(w, "  (%d files, %s in %s from snapshot %.8s)", v.Files, humanBytes(v.Bytes), v.Duration.Round(time.Millisecond), v.SnapshotID)
		}
		if v.Error != "" {
			fmt.Fprintf(w, "  %s", v.Error)
		}
		fmt.Fprintln(w)
	}
}
