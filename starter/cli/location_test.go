package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// bslEnv is a namespace of its own on the test bed with KUBECONFIG set.
type bslEnv struct {
	bed *testbed.Bed
	ns  string
	dir string
}

func newBSLEnv(t *testing.T) *bslEnv {
	t.Helper()
	bed := testbed.ForTest(t)
	buf := make([]byte, 4)
	rand.Read(buf)
	e := &bslEnv{bed: bed, ns: "cli-" + hex.EncodeToString(buf), dir: t.TempDir()}
	ctx := context.Background()
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: e.ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bed.Kube.CoreV1().Namespaces().Delete(context.Background(), e.ns, metav1.DeleteOptions{}) })
	t.Setenv("KUBECONFIG", bed.Kubeconfig)
	t.Setenv(locations.NamespaceEnv, e.ns)
	return e
}

// file writes content into a file of the test's folder.
func (e *bslEnv) file(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// objects names the ConfigMaps and Secrets of the namespace, with the
// ConfigMaps' data, leaving out what Kubernetes makes itself.
func (e *bslEnv) objects(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	cms, err := e.bed.Kube.CoreV1().ConfigMaps(e.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	secs, err := e.bed.Kube.CoreV1().Secrets(e.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, cm := range cms.Items {
		if cm.Name != "kube-root-ca.crt" {
			out = append(out, "configmap/"+cm.Name+"="+cm.Data["spec"])
		}
	}
	for _, s := range secs.Items {
		out = append(out, "secret/"+s.Name+"@"+s.ResourceVersion)
	}
	slices.Sort(out)
	return out
}

// getJSON runs `get -o json` for every location.
func getJSON(t *testing.T) []locations.Location {
	t.Helper()
	var locs []locations.Location
	if err := json.Unmarshal([]byte(mustCairn(t, "backup-location", "get", "-o", "json")), &locs); err != nil {
		t.Fatal(err)
	}
	return locs
}

// TestBackupLocationSeed runs the seed's commands against versitygw: the
// Secret as `kubectl create secret generic ... --from-file=bsl=credential-file`
// makes it, then `backup-location create` with the seed's flags verbatim,
// then `get`.
func TestBackupLocationSeed(t *testing.T) {
	e := newBSLEnv(t)
	s3 := e.bed.S3
	_, err := e.bed.Kube.CoreV1().Secrets(e.ns).Create(context.Background(), &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "credential-file"},
		Data:       map[string][]byte{"bsl": []byte(s3.CredentialsFile())},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := mustCairn(t, "backup-location", "create", "cephlocation", "--provider", "aws", "--bucket", s3.Bucket,
		"--config", "region="+s3.Region, "--credential=credential-file=bsl",
		"--config", `region=`+s3.Region+`,s3ForcePathStyle="true",s3Url=`+s3.URL, "--prefix", "default", "--default")
	if !strings.Contains(out, `Backup storage location "cephlocation" configured successfully.`) || !strings.Contains(out, "Phase: Available") {
		t.Fatalf("create printed:\n%s", out)
	}
	table := mustCairn(t, "backup-location", "get")
	lines := strings.Split(strings.TrimSpace(table), "\n")
	header := regexp.MustCompile(`^NAME +PROVIDER +BUCKET/PREFIX +PHASE +LAST VALIDATED +ACCESS MODE +DEFAULT$`)
	row := regexp.MustCompile(`^cephlocation +aws +` + s3.Bucket + `/default +Available +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+ +ReadWrite +true$`)
	if len(lines) != 2 || !header.MatchString(lines[0]) || !row.MatchString(lines[1]) {
		t.Fatalf("get printed:\n%s", table)
	}
	var one locations.Location
	if err := json.Unmarshal([]byte(mustCairn(t, "backup-location", "get", "cephlocation", "-o", "json")), &one); err != nil {
		t.Fatal(err)
	}
	if one.Spec.Config["s3ForcePathStyle"] != "true" || one.Spec.Config["s3Url"] != s3.URL || one.Spec.Config["region"] != s3.Region ||
		*one.Spec.Credential != (locations.SecretKeyRef{Name: "credential-file", Key: "bsl"}) || one.Status.LastValidationTime.IsZero() {
		t.Fatalf("get -o json: %+v", one)
	}
	if y := mustCairn(t, "backup-location", "get", "cephlocation", "-o", "yaml"); !strings.Contains(y, "provider: aws") ||
		!strings.Contains(y, "phase: Available") {
		t.Fatalf("get -o yaml:\n%s", y)
	}
}

// TestBackupLocationLifecycle covers --credential-file, wrong keys,
// set --default (one default), set --credential and --config, and delete.
func TestBackupLocationLifecycle(t *testing.T) {
	e := newBSLEnv(t)
	s3 := e.bed.S3
	creds := e.file(t, "credentials-velero", s3.CredentialsFile())
	wrong := e.file(t, "wrong", strings.Replace(s3.CredentialsFile(), s3.SecretKey, "00000000000000000000000000000000", 1))
	config := "region=" + s3.Region + ",s3ForcePathStyle=true,s3Url=" + s3.URL

	out := mustCairn(t, "backup-location", "create", "primary", "--provider", "aws", "--bucket", s3.Bucket,
		"--prefix", "/cluster-a/", "--config", config, "--credential-file", creds, "--default")
	if !strings.Contains(out, "Phase: Available") {
		t.Fatalf("create printed:\n%s", out)
	}
	code, out, errOut := cairn(t, "backup-location", "create", "wrongkeys", "--provider", "aws", "--bucket", s3.Bucket,
		"--config", config, "--credential-file", wrong, "--access-mode", "ReadOnly", "--default")
	if code != 0 || !strings.Contains(out, "Phase: Unavailable") || !strings.Contains(errOut, "access denied") {
		t.Fatalf("create with wrong keys: exit %d\n%s%s", code, out, errOut)
	}
	wantDefaults(t, "wrongkeys")
	if out := mustCairn(t, "backup-location", "get", "--default"); !strings.Contains(out, "wrongkeys") || strings.Contains(out, "primary") {
		t.Fatalf("get --default:\n%s", out)
	}
	mustCairn(t, "backup-location", "set", "primary", "--default")
	wantDefaults(t, "primary")

	// Fix the keys by pointing at the other location's Secret; its own goes.
	out = mustCairn(t, "backup-location", "set", "wrongkeys", "--credential", "cairn-bsl-primary-credentials=cloud",
		"--config", "s3ForcePathStyle=,insecureSkipTLSVerify=true")
	if !strings.Contains(out, "Phase: Available") {
		t.Fatalf("set --credential printed:\n%s", out)
	}
	for _, l := range getJSON(t) {
		switch l.Name {
		case "primary":
			if l.Spec.Prefix != "cluster-a" || l.Spec.Credential.Name != "cairn-bsl-primary-credentials" || l.Status.Phase != locations.Available {
				t.Errorf("primary: %+v", l)
			}
		case "wrongkeys":
			if _, ok := l.Spec.Config["s3ForcePathStyle"]; ok || l.Spec.Config["region"] != s3.Region || l.Spec.Config["insecureSkipTLSVerify"] != "true" || l.Spec.Mode() != locations.ReadOnly ||
				l.Status.Phase != locations.Available {
				t.Errorf("wrongkeys: %+v", l)
			}
		}
	}
	objs := e.objects(t)
	if slices.ContainsFunc(objs, func(o string) bool { return strings.HasPrefix(o, "secret/cairn-bsl-wrongkeys-credentials") }) {
		t.Errorf("the replaced own secret stayed: %v", objs)
	}
	code, _, errOut = cairn(t, "backup-location", "set", "wrongkeys", "--config", "publicUrl=http://x")
	if code == 0 || !strings.Contains(errOut, `unknown config key "publicUrl"`) {
		t.Fatalf("set with an unknown key: exit %d, %s", code, errOut)
	}
	if code, _, errOut = cairn(t, "backup-location", "set", "wrongkeys"); code == 0 || !strings.Contains(errOut, "nothing to change") {
		t.Fatalf("set without flags: exit %d, %s", code, errOut)
	}
	if got := e.objects(t); !slices.Equal(got, objs) {
		t.Fatalf("a failed set changed objects:\n%v\n%v", got, objs)
	}
	out = mustCairn(t, "backup-location", "set", "wrongkeys", "--credential-file", creds)
	if !strings.Contains(out, "Phase: Available") {
		t.Fatalf("set --credential-file printed:\n%s", out)
	}
	if l := getJSON(t); l[1].Name != "wrongkeys" || l[1].Spec.Credential.Name != "cairn-bsl-wrongkeys-credentials" {
		t.Fatalf("after set --credential-file: %+v", l)
	}
	e.noSecretsInConfigMaps(t)

	// Delete asks; "n" keeps it, --confirm deletes it with its own Secret.
	stdin := os.Stdin
	t.Cleanup(func() { os.Stdin = stdin })
	os.Stdin, _ = os.Open(e.file(t, "answer", "n\n"))
	if code, out, errOut := cairn(t, "backup-location", "delete", "primary"); code == 0 || !strings.Contains(out, "(Y/N)") ||
		!strings.Contains(errOut, "--confirm") {
		t.Fatalf("unconfirmed delete: exit %d\n%s%s", code, out, errOut)
	}
	os.Stdin, _ = os.Open(e.file(t, "answer", "y\n"))
	mustCairn(t, "backup-location", "delete", "wrongkeys")
	code, out, errOut = cairn(t, "backup-location", "delete", "primary", "--confirm")
	if code != 0 || !strings.Contains(out, `Backup storage location "primary" deleted.`) || !strings.Contains(errOut, "was the default") {
		t.Fatalf("delete: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := cairn(t, "backup-location", "get", "primary"); code == 0 || !strings.Contains(errOut, "not found") {
		t.Fatalf("get after delete: exit %d, %s", code, errOut)
	}
	for _, o := range e.objects(t) {
		if strings.HasPrefix(o, "configmap/") || strings.HasPrefix(o, "secret/cairn-bsl-") {
			t.Errorf("left after delete: %s", o)
		}
	}
}

// wantDefaults checks that exactly the named location is the default.
func wantDefaults(t *testing.T, name string) {
	t.Helper()
	var defaults []string
	for _, l := range getJSON(t) {
		if l.Spec.Default {
			defaults = append(defaults, l.Name)
		}
	}
	if len(defaults) != 1 || defaults[0] != name {
		t.Fatalf("defaults %v; want only %s", defaults, name)
	}
}

// noSecretsInConfigMaps scans every ConfigMap of the namespace for the S3
// keys and the generated repository password.
func (e *bslEnv) noSecretsInConfigMaps(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	pw, err := e.bed.Kube.CoreV1().Secrets(e.ns).Get(ctx, locations.PasswordSecret, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{e.bed.S3.AccessKey, e.bed.S3.SecretKey, string(pw.Data[locations.PasswordKey])}
	cms, err := e.bed.Kube.CoreV1().ConfigMaps(e.ns).List(ctx, metav1.ListOptions{LabelSelector: locations.Label})
	if err != nil || len(cms.Items) == 0 {
		t.Fatalf("%d location configmaps, %v", len(cms.Items), err)
	}
	for _, cm := range cms.Items {
		data, _ := json.Marshal(cm)
		for _, s := range secrets {
			if strings.Contains(string(data), s) {
				t.Errorf("configmap %s holds a secret value", cm.Name)
			}
		}
	}
}

// TestBackupLocationBadInput refuses bad input with a clear message and
// exit 1, and writes nothing.
func TestBackupLocationBadInput(t *testing.T) {
	e := newBSLEnv(t)
	s3 := e.bed.S3
	creds := e.file(t, "credentials-velero", s3.CredentialsFile())
	good := []string{"--provider", "aws", "--bucket", s3.Bucket, "--config", "region=" + s3.Region + ",s3ForcePathStyle=true,s3Url=" + s3.URL}
	mustCairn(t, append([]string{"backup-location", "create", "existing", "--credential-file", creds}, good...)...)
	before := e.objects(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"Bad_Name", "--credential-file", creds}, `name "Bad_Name"`},
		{[]string{"x", "--provider", "azure", "--credential-file", creds}, `unknown provider "azure": use aws or local`},
		{[]string{"x", "--bucket", "Bad_Bucket", "--credential-file", creds}, `bucket "Bad_Bucket"`},
		{[]string{"x", "--config", "kmsKeyId=1", "--credential-file", creds}, "allowed keys are region, s3ForcePathStyle, s3Url"},
		{[]string{"x", "--config", "s3Url=minio:9000", "--credential-file", creds}, "s3Url"},
		{[]string{"x", "--config", `region="minio`, "--credential-file", creds}, "unterminated"},
		{[]string{"x", "--config", "s3ForcePathStyle=sure", "--credential-file", creds}, "true or false"},
		{[]string{"x", "--credential", "no-equals-sign"}, "secret-name=key"},
		{[]string{"x", "--credential", "missing=cloud"}, "secret " + e.ns + "/missing does not exist"},
		{[]string{"x", "--credential", "a=b", "--credential-file", creds}, "either --credential or --credential-file"},
		{[]string{"x", "--credential-file", filepath.Join(e.dir, "absent")}, "--credential-file"},
		{[]string{"x", "--credential-file", e.file(t, "garbage", "hello")}, "credentials file"},
		{[]string{"x", "--credential-file", creds, "--access-mode", "ReadSometimes"}, "ReadWrite or ReadOnly"},
		{[]string{"x", "--credential-file", creds, "--prefix", "a/../b"}, "prefix"},
		{[]string{"x", "--credential-file", creds, "--repository-password-secret", "nope=pw"}, "secret " + e.ns + "/nope does not exist"},
		{[]string{"existing", "--credential-file", creds}, "already exists"},
		{[]string{"x", "--credential-file", creds, "-n", "no-such-namespace"}, "namespace no-such-namespace does not exist"},
		{[]string{"y", "--provider", "local", "--path", "relative/dir"}, "must be absolute"},
	} {
		args := []string{"backup-location", "create", c.args[0]}
		if !slices.Contains(c.args, "--provider") {
			args = append(args, good...)
		}
		args = append(args, c.args[1:]...)
		code, out, errOut := cairn(t, args...)
		t.Logf("%s: %s", c.args[1:], errOut)
		if code == 0 || !strings.Contains(errOut, c.want) || strings.Contains(out, "configured successfully") {
			t.Errorf("cairn %s: exit %d, %s%s; want an error with %q", strings.Join(args, " "), code, out, errOut, c.want)
		}
		if got := e.objects(t); !slices.Equal(got, before) {
			t.Fatalf("cairn %s wrote:\n%v\nbefore:\n%v", strings.Join(args, " "), got, before)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"backup-location", "get", "-o", "xml"}, "use table, json or yaml"},
		{[]string{"backup-location", "get", "nothing"}, `"nothing" in namespace ` + e.ns},
		{[]string{"backup-location", "delete", "nothing", "--confirm"}, "not found"},
		{[]string{"backup-location", "set", "nothing", "--default"}, "not found"},
		{[]string{"--context", "no-such-context", "backup-location", "get"}, "no-such-context"},
	} {
		if code, _, errOut := cairn(t, c.args...); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("cairn %s: exit %d, %s; want an error with %q", strings.Join(c.args, " "), code, errOut, c.want)
		}
	}
}

// TestBackupLocationFlags reads the cluster from --kubeconfig and the
// namespace from -n, over $KUBECONFIG and $CAIRN_NAMESPACE.
func TestBackupLocationFlags(t *testing.T) {
	e := newBSLEnv(t)
	t.Setenv("KUBECONFIG", filepath.Join(e.dir, "nowhere"))
	t.Setenv(locations.NamespaceEnv, "elsewhere")
	folder := t.TempDir()
	out := mustCairn(t, "--kubeconfig", e.bed.Kubeconfig, "-n", e.ns, "backup-location", "create", "disk",
		"--provider", "local", "--path", folder)
	if !strings.Contains(out, "Phase: Available") {
		t.Fatalf("create printed:\n%s", out)
	}
	out = mustCairn(t, "backup-location", "get", "--kubeconfig", e.bed.Kubeconfig, "--namespace", e.ns)
	if !regexp.MustCompile(`(?m)^disk +local +` + regexp.QuoteMeta(folder) + ` +Available `).MatchString(out) {
		t.Fatalf("get printed:\n%s", out)
	}
}
