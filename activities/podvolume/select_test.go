package podvolume

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func testPod(annotations map[string]string) *corev1.Pod {
	claim := corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data-claim"}}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p", Annotations: annotations},
		Spec: corev1.PodSpec{Volumes: []corev1.Volume{
			{Name: "data", VolumeSource: claim},
			{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			{Name: "host", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/var"}}},
			{Name: "conf", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{}}},
			{Name: "token", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{}}},
			{Name: "creds", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{}}},
			{Name: "info", VolumeSource: corev1.VolumeSource{DownwardAPI: &corev1.DownwardAPIVolumeSource{}}},
		}},
	}
}

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		defaultAll  bool
		want        []Volume
		skipped     []string // volume: reason substring
	}{
		{name: "no annotation, opt-in: nothing"},
		{name: "opt-in list", annotations: map[string]string{IncludeAnnotation: " data, cache ,"},
			want: []Volume{{Name: "data", PVC: "data-claim"}, {Name: "cache"}}},
		{name: "opt-in of unsupported and missing volumes", annotations: map[string]string{IncludeAnnotation: "host,conf,nope"},
			skipped: []string{"nope: has no volume", "host: hostPath", "conf: come from the API"}},
		{name: "opt-out takes every file volume", defaultAll: true,
			want: []Volume{{Name: "data", PVC: "data-claim"}, {Name: "cache"}}},
		{name: "opt-out with excludes", defaultAll: true, annotations: map[string]string{ExcludeAnnotation: "cache", IncludeAnnotation: "host"},
			want: []Volume{{Name: "data", PVC: "data-claim"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, skipped := Select(testPod(tc.annotations), tc.defaultAll)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("volumes %+v, want %+v", got, tc.want)
			}
			if len(skipped) != len(tc.skipped) {
				t.Fatalf("skipped %+v, want %v", skipped, tc.skipped)
			}
			for i, s := range tc.skipped {
				vol, reason, _ := strings.Cut(s, ": ")
				if skipped[i].Volume != vol || !strings.Contains(skipped[i].Reason, reason) {
					t.Errorf("skipped[%d] = %+v, want %s", i, skipped[i], s)
				}
			}
		})
	}
}

func TestTags(t *testing.T) {
	s := Source{Backup: "b", Namespace: "ns", Pod: "p", Volume: "v", PVC: "c"}
	if got := s.Tags(); !reflect.DeepEqual(got, []string{"backup=b", "ns=ns", "pod=p", "volume=v", "pvc=c"}) {
		t.Errorf("tags %v", got)
	}
	if got := s.ParentTags(); !reflect.DeepEqual(got, []string{"ns=ns", "pvc=c"}) {
		t.Errorf("parent tags %v", got)
	}
	s.PVC = ""
	if got := s.ParentTags(); !reflect.DeepEqual(got, []string{"ns=ns", "pod=p", "volume=v"}) {
		t.Errorf("parent tags without claim %v", got)
	}
	if Tag(s.Tags(), "pod") != "p" || Tag(s.Tags(), "pvc") != "" {
		t.Error("Tag")
	}
}
