package restore_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/activities/resources/backup"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// TestBucketHoldsNoPlaintext backs up to the test bed's S3 bucket (the
// repository and the records), checks that no file of the bucket holds the
// Secret's value, plain or base64, and that Download rebuilds Velero's
// tarball with it.
func TestBucketHoldsNoPlaintext(t *testing.T) {
	e := newEnv(t)
	f := newFixture(t, e)
	ctx := context.Background()
	cfg := s3.Config{Endpoint: e.bed.S3.URL, Bucket: e.bed.S3.Bucket, Region: e.bed.S3.Region, PathStyle: true,
		AccessKeyID: e.bed.S3.AccessKey, SecretAccessKey: e.bed.S3.SecretKey}
	repoCfg := cfg
	repoCfg.Prefix = "plaintext-" + f.ns + "/kopia/repo"
	be, err := s3.Open(ctx, repoCfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Init(ctx, be, "pw", repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	metaCfg := cfg
	metaCfg.Prefix = "plaintext-" + f.ns
	objects, err := metadata.NewS3Store(metaCfg)
	if err != nil {
		t.Fatal(err)
	}
	store := metadata.Store{Objects: objects}
	name := "plain-" + f.ns
	res, err := backup.Run(ctx, backup.Options{Name: name, Spec: filter.Spec{IncludedNamespaces: []string{f.ns}},
		Client: e.dyn, Discovery: e.kube.Discovery(), Repo: r, Store: store})
	if err != nil || res.Phase != metadata.PhaseCompleted {
		t.Fatalf("backup: %+v %v", res, err)
	}
	keys, err := objects.List(ctx, "backups/"+name+"/")
	if err != nil || len(keys) != 4 {
		t.Fatalf("backup files %v %v, want record, log, results and resource list", keys, err)
	}
	needles := [][]byte{[]byte(f.secretValue), []byte(base64.StdEncoding.EncodeToString([]byte(f.secretValue)))}
	scanned := 0
	err = filepath.WalkDir(filepath.Join(e.bed.Dir, "s3"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, "plaintext-"+f.ns) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		scanned++
		if zr, zerr := gzip.NewReader(bytes.NewReader(data)); zerr == nil {
			if plain, zerr := io.ReadAll(zr); zerr == nil {
				data = append(data, plain...)
			}
		}
		for _, n := range needles {
			if bytes.Contains(data, n) {
				t.Errorf("%s holds the Secret's value in plaintext", p)
			}
		}
		return nil
	})
	if err != nil || scanned < 8 {
		t.Fatalf("scanned %d bucket files: %v", scanned, err)
	}

	rec, err := store.GetBackup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	var tgz bytes.Buffer
	st, err := metadata.Download(ctx, r, rec, &tgz)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	zr, err := gzip.NewReader(&tgz)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Mode != 0o755 {
			t.Errorf("%s: type %c mode %o", hdr.Name, hdr.Typeflag, hdr.Mode)
		}
		data, _ := io.ReadAll(tr)
		files[hdr.Name] = string(data)
	}
	if len(files) != st.Files || files["metadata/version"] != "1.1.0\n" {
		t.Fatalf("%d files (stats %d), version %q", len(files), st.Files, files["metadata/version"])
	}
	for _, p := range []string{
		"resources/secrets/namespaces/" + f.ns + "/creds.json",
		"resources/secrets/v1-preferredversion/namespaces/" + f.ns + "/creds.json",
		"resources/deployments.apps/v1-preferredversion/namespaces/" + f.ns + "/web.json",
		"resources/namespaces/cluster/" + f.ns + ".json",
		"resources/customresourcedefinitions.apiextensions.k8s.io/v1-preferredversion/cluster/" + f.crd + ".json",
	} {
		if _, ok := files[p]; !ok {
			t.Errorf("the tarball has no %s", p)
		}
	}
	if !strings.Contains(files["resources/secrets/namespaces/"+f.ns+"/creds.json"], string(needles[1])) {
		t.Errorf("the downloaded Secret does not hold its value")
	}
}
