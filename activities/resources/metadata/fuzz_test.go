package metadata_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"testing"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// FuzzStoredDumpsAndLogs feeds arbitrary bytes, raw and gzip'd, to the
// decoders of a backup's dump list and of a restore's log (which
// AppendRestoreLog reads back): they return a value or an error, never
// panic, and an appended log ends with what was appended.
func FuzzStoredDumpsAndLogs(f *testing.F) {
	f.Add([]byte(`[{"Namespace":"ns","Pod":"db","Filename":"db.dump","Bytes":3,"Phase":"Completed"}]`))
	f.Add([]byte(`[{"Bytes":-1}]`))
	f.Add([]byte("not json"))
	f.Add([]byte{0x1f, 0x8b, 0x08})
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		st, err := metadata.NewDirStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s := metadata.Store{Objects: st}
		for _, stored := range [][]byte{data, gzipped(t, data)} {
			if err := st.Put(ctx, metadata.BackupDumpsKey("b"), stored); err != nil {
				t.Fatal(err)
			}
			_, _ = s.GetBackupDumps(ctx, "b")
			if err := st.Put(ctx, metadata.RestoreLogKey("r"), stored); err != nil {
				t.Fatal(err)
			}
			if err := s.AppendRestoreLog(ctx, "r", []byte("hook done\n")); err != nil {
				continue // an unreadable log is an error, not a panic
			}
			log, err := s.GetRestoreLog(ctx, "r")
			if err != nil || !bytes.HasSuffix(log, []byte("hook done\n")) {
				t.Fatalf("appended log %q, %v", log, err)
			}
		}
	})
}

func gzipped(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
