package cli

import (
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"

	"github.com/cairn-backup/cairn/starter/velerov1"
)

// veleroCodecs encode velero.io/v1 objects as Velero's CLI does.
var veleroCodecs = func() serializer.CodecFactory {
	scheme := runtime.NewScheme()
	if err := velerov1.AddToScheme(scheme); err != nil {
		panic(err)
	}
	return serializer.NewCodecFactory(scheme)
}()

// printObjects prints list (a velero.io/v1 list) for -o json|yaml as
// `velero ... -o json|yaml` does: the one object when the list holds one,
// else the list.
func printObjects(w io.Writer, format string, list runtime.Object) error {
	info, ok := runtime.SerializerInfoForMediaType(veleroCodecs.SupportedMediaTypes(), "application/"+format)
	if !ok || (format != "json" && format != "yaml") {
		return fmt.Errorf("unknown output format %q: use table, json or yaml", format)
	}
	enc := info.Serializer
	if info.PrettySerializer != nil {
		enc = info.PrettySerializer
	}
	obj := list
	if items, err := meta.ExtractList(list); err == nil && len(items) == 1 {
		obj = items[0]
	}
	return veleroCodecs.EncoderForVersion(enc, velerov1.SchemeGroupVersion).Encode(obj, w)
}
