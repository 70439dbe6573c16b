package objects

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/starter/velerov1"
)

// typeMeta is the apiVersion and kind of a velero.io/v1 object.
func typeMeta(kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: velerov1.SchemeGroupVersion.String(), Kind: kind}
}

// timeOrNil is t as an object's timestamp, nil when unset. Timestamps are
// in UTC to the second, as the API server stores them.
func timeOrNil(t time.Time) *metav1.Time {
	if t.IsZero() {
		return nil
	}
	return &metav1.Time{Time: t.UTC().Truncate(time.Second)}
}

// objectMeta names an object of namespace ns, with labels.
func objectMeta(name, ns string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels}
}

// ptrTime is t as a creation timestamp, zero when unset.
func ptrTime(t time.Time) metav1.Time {
	if t.IsZero() {
		return metav1.Time{}
	}
	return metav1.Time{Time: t.UTC().Truncate(time.Second)}
}
