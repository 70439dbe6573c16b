package hooks

import (
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func TestForDump(t *testing.T) {
	cmd := map[string]string{DumpCommandAnnotation: "pg_dumpall"}
	plus := func(kv ...string) map[string]string {
		m := map[string]string{DumpCommandAnnotation: "pg_dumpall"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	def := Dump{Namespace: "ns", Pod: "db-0", Container: "app", Command: []string{"pg_dumpall"}, Filename: "app.dump", Timeout: time.Hour}
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		podPhase    corev1.PodPhase
		want        *Dump
	}{
		{name: "no annotation"},
		{name: "empty command is none", annotations: map[string]string{DumpCommandAnnotation: "", DumpContainerAnnotation: "app"}},
		{name: "defaults", annotations: cmd, want: &def},
		{name: "every annotation", annotations: plus(DumpCommandAnnotation, `["mysqldump","--all-databases"]`,
			DumpContainerAnnotation, "sidecar", DumpFilenameAnnotation, " all.sql ", DumpTimeoutAnnotation, "3h"),
			want: &Dump{Namespace: "ns", Pod: "db-0", Container: "sidecar", Command: []string{"mysqldump", "--all-databases"},
				Filename: "all.sql", Timeout: 3 * time.Hour}},
		{name: "default file name follows the container", annotations: plus(DumpContainerAnnotation, "sidecar"),
			want: withDump(def, func(d *Dump) { d.Container, d.Filename = "sidecar", "sidecar.dump" })},
		{name: "not running", annotations: cmd, podPhase: corev1.PodPending,
			want: withDump(def, func(d *Dump) { d.Problem = "pod ns/db-0 is Pending, not Running" })},
		{name: "unknown container", annotations: plus(DumpContainerAnnotation, "pg"),
			want: withDump(def, func(d *Dump) {
				d.Container, d.Filename, d.Problem = "pg", "pg.dump", DumpContainerAnnotation+` is "pg", which is not a container`
			})},
		{name: "bad command", annotations: plus(DumpCommandAnnotation, "[pg_dump"),
			want: withDump(def, func(d *Dump) { d.Command, d.Problem = nil, DumpCommandAnnotation+` is "[pg_dump"|not a JSON array` })},
		{name: "bad timeout", annotations: plus(DumpTimeoutAnnotation, "an hour"),
			want: withDump(def, func(d *Dump) { d.Problem = DumpTimeoutAnnotation + ` is "an hour", which is not a duration` })},
		{name: "path as file name", annotations: plus(DumpFilenameAnnotation, "../etc/passwd"),
			want: withDump(def, func(d *Dump) {
				d.Filename, d.Problem = "../etc/passwd", DumpFilenameAnnotation+` is "../etc/passwd"|without "/"`
			})},
		{name: "dot-dot file name", annotations: plus(DumpFilenameAnnotation, ".."),
			want: withDump(def, func(d *Dump) { d.Filename, d.Problem = "..", "not a plain file name" })},
		{name: "dot file name", annotations: plus(DumpFilenameAnnotation, "."),
			want: withDump(def, func(d *Dump) { d.Filename, d.Problem = ".", "not a plain file name" })},
		{name: "blank file name", annotations: plus(DumpFilenameAnnotation, "  "),
			want: withDump(def, func(d *Dump) {
				d.Filename, d.Problem = "", DumpFilenameAnnotation+` is "", which is not a plain file name`
			})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pod := testPod(tc.annotations)
			if tc.podPhase != "" {
				pod.Status.Phase = tc.podPhase
			}
			checkDump(t, ForDump(pod), tc.want)
		})
	}
}

func TestForLoad(t *testing.T) {
	def := Dump{Namespace: "ns", Pod: "db-0", Container: "app", Command: []string{"psql"}, Filename: "app.dump", Timeout: time.Hour}
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		want        *Dump
	}{
		{name: "no annotation", annotations: map[string]string{DumpCommandAnnotation: "pg_dumpall"}},
		{name: "defaults, pod not running", annotations: map[string]string{LoadCommandAnnotation: "psql"}, want: &def},
		{name: "load container does not change the file name", annotations: map[string]string{LoadCommandAnnotation: "psql",
			LoadContainerAnnotation: "sidecar"}, want: withDump(def, func(d *Dump) { d.Container = "sidecar" })},
		{name: "file name of the dump container", annotations: map[string]string{LoadCommandAnnotation: "psql", DumpContainerAnnotation: "sidecar"},
			want: withDump(def, func(d *Dump) { d.Filename = "sidecar.dump" })},
		{name: "every annotation", annotations: map[string]string{LoadCommandAnnotation: `["psql","-f","-"]`, LoadContainerAnnotation: "sidecar",
			DumpFilenameAnnotation: "all.sql", LoadTimeoutAnnotation: "90m"},
			want: &Dump{Namespace: "ns", Pod: "db-0", Container: "sidecar", Command: []string{"psql", "-f", "-"}, Filename: "all.sql", Timeout: 90 * time.Minute}},
		{name: "problems", annotations: map[string]string{LoadCommandAnnotation: "[]", LoadContainerAnnotation: "pg",
			DumpFilenameAnnotation: "a/b", LoadTimeoutAnnotation: "-1h"},
			want: &Dump{Namespace: "ns", Pod: "db-0", Container: "pg", Command: []string{}, Filename: "a/b", Timeout: time.Hour,
				Problem: LoadContainerAnnotation + ` is "pg"|` + LoadCommandAnnotation + " is empty|" + DumpFilenameAnnotation + ` is "a/b"|` +
					LoadTimeoutAnnotation + " is -1h0m0s, which is negative"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pod := testPod(tc.annotations)
			pod.Status.Phase = corev1.PodPending
			checkDump(t, ForLoad(pod), tc.want)
		})
	}
}

func withDump(d Dump, f func(*Dump)) *Dump { f(&d); return &d }

// checkDump compares dumps as checkHooks compares hooks.
func checkDump(t *testing.T, got, want *Dump) {
	t.Helper()
	if got == nil || want == nil {
		if got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		return
	}
	g, w := *got, *want
	checkProblem(t, g.Problem, w.Problem)
	g.Problem, w.Problem = "", ""
	if !reflect.DeepEqual(g, w) {
		t.Errorf("\n got %+v\nwant %+v", g, w)
	}
}
