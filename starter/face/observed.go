package face

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ObservedAnnotation holds a digest of the spec that the face last carried
// into Cairn (Schedules and BackupStorageLocations): a spec the face has
// seen is Cairn's to change, one it has not is the user's. A digest, not
// the generation: velero.io/v1 has no status subresource, so writing the
// status moves the generation too.
const ObservedAnnotation = "cairn.io/observed-spec"

// specDigest is a short digest of spec's JSON.
func specDigest(spec any) string {
	data, _ := json.Marshal(spec)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// observed tells whether the face carried spec, m's object's, into Cairn.
func observed(m metav1.ObjectMeta, spec any) bool {
	return m.Annotations[ObservedAnnotation] == specDigest(spec)
}

// markObserved records spec as carried into Cairn.
func markObserved(m *metav1.ObjectMeta, spec any) {
	if m.Annotations == nil {
		m.Annotations = map[string]string{}
	}
	m.Annotations[ObservedAnnotation] = specDigest(spec)
}
