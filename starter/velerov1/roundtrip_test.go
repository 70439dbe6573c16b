package velerov1_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"

	"github.com/cairn-backup/cairn/starter/velerov1"
)

// The fixtures in testdata are objects as the stock velero v1.18.3 CLI
// creates them (`velero backup create ... -o json` and the like) and as its
// server fills their status in; their keys are Velero's.

// fixtures reads testdata/*.json.
func fixtures(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = data
	}
	return out
}

// generic decodes JSON into maps, slices and scalars, for comparing
// documents regardless of key order and spacing.
func generic(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// dropNullCreationTimestamp removes metadata.creationTimestamp when it is
// null: Velero's apimachinery writes an unset one as null, Cairn's omits it
// (omitzero); both read back as the zero time.
func dropNullCreationTimestamp(doc any) {
	if m, ok := doc.(map[string]any)["metadata"].(map[string]any); ok {
		if v, ok := m["creationTimestamp"]; ok && v == nil {
			delete(m, "creationTimestamp")
		}
	}
}

// jsonDiff lists the paths where two generic JSON documents differ.
func jsonDiff(path string, got, want any) []string {
	gm, gok := got.(map[string]any)
	wm, wok := want.(map[string]any)
	if gok && wok {
		var out []string
		for k, w := range wm {
			g, ok := gm[k]
			if !ok {
				out = append(out, path+"."+k+" is lost")
				continue
			}
			out = append(out, jsonDiff(path+"."+k, g, w)...)
		}
		for k, g := range gm {
			if _, ok := wm[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s = %v is added", path, k, g))
			}
		}
		sort.Strings(out)
		return out
	}
	gl, gok := got.([]any)
	wl, wok := want.([]any)
	if gok && wok && len(gl) == len(wl) {
		var out []string
		for i := range wl {
			out = append(out, jsonDiff(fmt.Sprintf("%s[%d]", path, i), gl[i], wl[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(got, want) {
		return []string{fmt.Sprintf("%s is %v, want %v", path, got, want)}
	}
	return nil
}

// TestFixturesRoundTrip decodes each fixture into its kind's type, refusing
// any key the type does not know, and marshals it back, and its deep copy
// too: both must be the fixture again, as JSON, so that no field of an object
// Velero wrote is lost or changed by passing through Cairn.
func TestFixturesRoundTrip(t *testing.T) {
	kinds := map[string]velerov1.Kind{}
	for _, k := range velerov1.Kinds() {
		kinds[k.Name] = k
	}
	seen := map[string]bool{}
	for name, data := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			var tm metav1.TypeMeta
			if err := json.Unmarshal(data, &tm); err != nil {
				t.Fatal(err)
			}
			if tm.APIVersion != "velero.io/v1" {
				t.Fatalf("apiVersion %q, want velero.io/v1", tm.APIVersion)
			}
			k, ok := kinds[tm.Kind]
			if !ok {
				t.Fatalf("kind %q is not one of velero.io/v1's", tm.Kind)
			}
			seen[tm.Kind] = true
			obj := k.New()
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(obj); err != nil {
				t.Fatalf("decoding into %T: %v", obj, err)
			}
			want := generic(t, data)
			dropNullCreationTimestamp(want)
			for what, o := range map[string]runtime.Object{"the object": obj, "its deep copy": obj.DeepCopyObject()} {
				out, err := json.Marshal(o)
				if err != nil {
					t.Fatal(err)
				}
				if got := generic(t, out); !reflect.DeepEqual(got, want) {
					t.Errorf("%s marshals to something else than the fixture: %s\n%s", what, strings.Join(jsonDiff("", got, want), "; "), out)
				}
			}
		})
	}
	for _, kind := range []string{"Backup", "Restore", "Schedule", "BackupStorageLocation", "VolumeSnapshotLocation", "DownloadRequest", "ServerStatusRequest", "DeleteBackupRequest"} {
		if !seen[kind] {
			t.Errorf("no fixture of kind %s", kind)
		}
	}
}

// TestSchemeDecodesFixtures decodes the fixtures with a codec of a scheme
// that AddToScheme filled, as a client does: each comes out as its kind's
// type, under velero.io/v1.
func TestSchemeDecodesFixtures(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := velerov1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	for _, k := range velerov1.Kinds() {
		for _, o := range []runtime.Object{k.New(), k.NewList()} {
			gvks, _, err := scheme.ObjectKinds(o)
			if err != nil || len(gvks) != 1 || gvks[0].GroupVersion() != velerov1.SchemeGroupVersion {
				t.Errorf("%T is registered as %v (%v), want velero.io/v1", o, gvks, err)
			}
		}
		if got := velerov1.Resource(k.Resource).String(); got != k.Resource+".velero.io" {
			t.Errorf("Resource(%q) = %s", k.Resource, got)
		}
	}
	dec := serializer.NewCodecFactory(scheme).UniversalDeserializer()
	for name, data := range fixtures(t) {
		obj, gvk, err := dec.Decode(data, nil, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if gvk.GroupVersion() != velerov1.SchemeGroupVersion || reflect.TypeOf(obj).Elem().Name() != gvk.Kind {
			t.Errorf("%s decodes as %T, %v", name, obj, gvk)
		}
	}
}

// TestScheduleTimestampedName: a schedule's backups are named as Velero's
// server names them, so that both find each other's.
func TestScheduleTimestampedName(t *testing.T) {
	s := &velerov1.Schedule{ObjectMeta: metav1.ObjectMeta{Name: "daily"}}
	at, _ := time.Parse(time.RFC3339, "2026-03-04T05:06:07Z")
	if got := s.TimestampedName(at); got != "daily-20260304050607" {
		t.Errorf("TimestampedName = %q", got)
	}
}

// TestBackupStorageLocationValidate: a location may set caCert or caCertRef, not both.
func TestBackupStorageLocationValidate(t *testing.T) {
	ref := &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "ca"}, Key: "ca.crt"}
	for _, c := range []struct {
		os   *velerov1.ObjectStorageLocation
		fail bool
	}{
		{nil, false},
		{&velerov1.ObjectStorageLocation{Bucket: "b"}, false},
		{&velerov1.ObjectStorageLocation{Bucket: "b", CACert: []byte("pem")}, false},
		{&velerov1.ObjectStorageLocation{Bucket: "b", CACertRef: ref}, false},
		{&velerov1.ObjectStorageLocation{Bucket: "b", CACert: []byte("pem"), CACertRef: ref}, true},
	} {
		bsl := &velerov1.BackupStorageLocation{Spec: velerov1.BackupStorageLocationSpec{StorageType: velerov1.StorageType{ObjectStorage: c.os}}}
		if err := bsl.Validate(); (err != nil) != c.fail {
			t.Errorf("%+v: Validate() = %v", c.os, err)
		}
	}
}
