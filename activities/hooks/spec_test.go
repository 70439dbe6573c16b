package hooks

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// The hooks sections of Velero's documented Backup and Restore examples
// (site/content/docs/main/api-types/backup.md and restore.md), comments
// dropped, the backup's post hooks written out.
const backupHooksYAML = `
resources:
  -
    name: my-hook
    includedNamespaces:
    - '*'
    excludedNamespaces:
    - some-namespace
    includedResources:
    - pods
    excludedResources: []
    labelSelector:
      matchLabels:
        app: velero
        component: server
    pre:
      -
        exec:
          container: my-container
          command:
            - /bin/uname
            - -a
          onError: Fail
          timeout: 10s
    post:
      - exec:
          command: ["/bin/sh", "-c", "echo done"]
`

const restoreHooksYAML = `
resources:
- name: restore-hook-1
  includedNamespaces:
  - ns1
  excludedNamespaces:
  - ns3
  includedResources:
  - pods
  excludedResources: []
  labelSelector:
    matchLabels:
      app: velero
      component: server
  postHooks:
  - init:
      initContainers:
      - name: restore-hook-init1
        image: alpine:latest
        volumeMounts:
        - mountPath: /restores/pvc1-vm
          name: pvc1-vm
        command:
        - /bin/ash
        - -c
        - echo -n "FOOBARBAZ" >> /restores/pvc1-vm/foobarbaz
      timeout: 2m
  - exec:
      container: foo
      command:
      - /bin/bash
      - -c
      - "psql < /backup/backup.sql"
      waitTimeout: 5m
      execTimeout: 1m
      onError: Continue
      waitForReady: true
`

func TestBackupHooksYAML(t *testing.T) {
	var got BackupHooks
	if err := yaml.UnmarshalStrict([]byte(backupHooksYAML), &got); err != nil {
		t.Fatal(err)
	}
	want := BackupHooks{Resources: []BackupResourceHook{{
		Name: "my-hook", IncludedNamespaces: []string{"*"}, ExcludedNamespaces: []string{"some-namespace"},
		IncludedResources: []string{"pods"}, ExcludedResources: []string{},
		LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "velero", "component": "server"}},
		Pre: []BackupHookEntry{{Exec: &ExecHook{Container: "my-container", Command: []string{"/bin/uname", "-a"},
			OnError: OnErrorFail, Timeout: dur(10 * time.Second)}}},
		Post: []BackupHookEntry{exec("/bin/sh", "-c", "echo done")},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parsed\n %+v\nwant\n %+v", got, want)
	}
	roundTrip(t, &got, &BackupHooks{}, "includedNamespaces", "excludedNamespaces", "includedResources", "labelSelector",
		"matchLabels", `"pre"`, `"post"`, `"exec"`, `"onError"`, `"timeout":"10s"`)
	if err := ValidateBackupHooks(&got); err != nil {
		t.Errorf("documented hooks do not validate: %v", err)
	}
}

func TestRestoreHooksYAML(t *testing.T) {
	var got RestoreHooks
	if err := yaml.UnmarshalStrict([]byte(restoreHooksYAML), &got); err != nil {
		t.Fatal(err)
	}
	rh := got.Resources[0]
	if rh.Name != "restore-hook-1" || !reflect.DeepEqual(rh.IncludedNamespaces, []string{"ns1"}) ||
		!reflect.DeepEqual(rh.ExcludedNamespaces, []string{"ns3"}) || rh.LabelSelector.MatchLabels["component"] != "server" ||
		len(rh.PostHooks) != 2 {
		t.Fatalf("parsed %+v", rh)
	}
	wantExec := &RestoreExecHook{Container: "foo", Command: []string{"/bin/bash", "-c", "psql < /backup/backup.sql"},
		OnError: OnErrorContinue, ExecTimeout: dur(time.Minute), WaitTimeout: dur(5 * time.Minute), WaitForReady: new(true)}
	if !reflect.DeepEqual(rh.PostHooks[1].Exec, wantExec) {
		t.Errorf("exec %+v, want %+v", rh.PostHooks[1].Exec, wantExec)
	}
	init := rh.PostHooks[0].Init
	c, problem := decodeInitContainer(init.InitContainers[0])
	if problem != "" || c.Name != "restore-hook-init1" || c.Image != "alpine:latest" || len(c.Command) != 3 ||
		c.VolumeMounts[0].MountPath != "/restores/pvc1-vm" || init.Timeout.Duration != 2*time.Minute {
		t.Errorf("init %+v (problem %q), timeout %v", c, problem, init.Timeout)
	}
	roundTrip(t, &got, &RestoreHooks{}, `"postHooks"`, `"init"`, `"initContainers"`, `"volumeMounts"`, `"execTimeout":"1m0s"`,
		`"waitTimeout":"5m0s"`, `"waitForReady":true`, `"onError":"Continue"`)
	if err := ValidateRestoreHooks(&got); err != nil {
		t.Errorf("documented hooks do not validate: %v", err)
	}
}

// roundTrip marshals v, checks the JSON has the keys (Velero's field
// names), and that it decodes into empty as v.
func roundTrip[T any](t *testing.T, v, empty *T, keys ...string) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if !strings.Contains(string(data), k) {
			t.Errorf("JSON %s lacks %s", data, k)
		}
	}
	if err := yaml.UnmarshalStrict(data, empty); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(t, v), normalize(t, empty)) {
		t.Errorf("round trip changed\n %+v\ninto\n %+v", v, empty)
	}
}

// normalize is v marshalled and unmarshalled into generic JSON values,
// so raw init containers compare by content, not by bytes.
func normalize(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
