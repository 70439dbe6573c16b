package podvolume

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// MarkerDir is the folder, at the root of a restored volume, where the node
// agent leaves the done-marker of a restore (Velero uses .velero).
const MarkerDir = ".cairn"

// Restore-wait init container conventions: its name, and where it mounts
// each restored volume.
const (
	InitContainerName = "restore-wait"
	HelperMountRoot   = "/restores"
)

// MarkerPath is the done-marker of restore in the volume at dir.
func MarkerPath(dir, restore string) string {
	return filepath.Join(dir, MarkerDir, restore)
}

// WriteMarker records that restore has written every file of the volume at
// dir. It is written last, so its presence means the data is complete.
func WriteMarker(dir, restore string) error {
	if err := os.MkdirAll(filepath.Join(dir, MarkerDir), 0o755); err != nil {
		return err
	}
	return os.WriteFile(MarkerPath(dir, restore), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
}

// WaitMarkers waits until every folder of dirs holds the done-marker of
// restore, polling every interval. It is what the restore-wait init
// container runs.
func WaitMarkers(ctx context.Context, dirs []string, restore string, interval time.Duration) error {
	if len(dirs) == 0 {
		return errors.New("no restored volume to wait for")
	}
	for {
		missing := Missing(dirs, restore)
		if missing == "" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for restore %s in %s: %w", restore, missing, ctx.Err())
		case <-time.After(interval):
		}
	}
}

// Missing returns the first folder of dirs without the done-marker of
// restore, or "" when every one has it.
func Missing(dirs []string, restore string) string {
	for _, d := range dirs {
		if _, err := os.Stat(MarkerPath(d, restore)); err != nil {
			return d
		}
	}
	return ""
}

// RemoveMarkers removes the marker folder of each of dirs, so that the
// volumes hold exactly what was backed up, and returns what it could not
// remove (a helper running as another user than the agent may not).
func RemoveMarkers(dirs []string) error {
	var errs []error
	for _, d := range dirs {
		if err := os.RemoveAll(filepath.Join(d, MarkerDir)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
