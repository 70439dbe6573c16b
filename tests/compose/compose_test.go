package compose

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/cairn-backup/cairn/workflows"
)

var wantServices = []string{"cairn", "postgresql", "s3", "s3-bucket", "temporal", "temporal-namespace", "temporal-schema", "temporal-ui"}

// TestServicesAndDependencies: the expected services, every dependency a
// service, waiting on health only where there is a health check and on
// completion only for one-shot jobs.
func TestServicesAndDependencies(t *testing.T) {
	p := load(t, "KUBECONFIG=/home/user/.kube/config")
	if got := p.ServiceNames(); !slices.Equal(sorted(got), wantServices) {
		t.Fatalf("services %v, want %v", sorted(got), wantServices)
	}
	for _, s := range p.Services {
		for dep, d := range s.DependsOn {
			target, err := p.GetService(dep)
			if err != nil {
				t.Errorf("%s depends on %s, which is no service", s.Name, dep)
				continue
			}
			switch d.Condition {
			case types.ServiceConditionHealthy:
				if target.HealthCheck == nil || len(target.HealthCheck.Test) == 0 {
					t.Errorf("%s waits for %s to be healthy, which has no health check", s.Name, dep)
				}
			case types.ServiceConditionCompletedSuccessfully:
				if r := target.Restart; r == types.RestartPolicyAlways || r == types.RestartPolicyUnlessStopped {
					t.Errorf("%s waits for %s to complete, which restarts %s", s.Name, dep, r)
				}
			}
		}
		if s.Build == nil && (imageTag(s.Image) == "" || imageTag(s.Image) == "latest") {
			t.Errorf("service %s: image %q is not pinned", s.Name, s.Image)
		}
	}
}

// TestTemporal: the worker, the UI and the namespace job all name the
// temporal service and its frontend port, which is published, in one
// namespace; the images are the server and UI versions the Go module uses.
func TestTemporal(t *testing.T) {
	p := load(t)
	temporal := service(t, p, "temporal")
	port := uint32(7233)
	if v, ok := temporal.Environment["FRONTEND_GRPC_PORT"]; ok && v != nil {
		_, port = hostPort(t, "x:"+*v)
	}
	if !publishes(temporal, port) {
		t.Errorf("temporal does not publish its frontend port %d", port)
	}
	for svc, name := range map[string]string{"cairn": "CAIRN_TEMPORAL_ADDRESS", "temporal-ui": "TEMPORAL_ADDRESS", "temporal-namespace": "TEMPORAL_ADDRESS"} {
		if h, pt := hostPort(t, env(t, service(t, p, svc), name)); h != "temporal" || pt != port {
			t.Errorf("%s: %s is %s:%d, want temporal:%d", svc, name, h, pt, port)
		}
	}
	ns := env(t, service(t, p, "temporal-namespace"), "CAIRN_TEMPORAL_NAMESPACE")
	if got := env(t, service(t, p, "cairn"), "CAIRN_TEMPORAL_NAMESPACE"); got != ns {
		t.Errorf("the worker uses Temporal namespace %q, the namespace job creates %q", got, ns)
	}
	if got := env(t, service(t, p, "temporal-ui"), "TEMPORAL_DEFAULT_NAMESPACE"); got != ns {
		t.Errorf("the UI opens namespace %q, the namespace job creates %q", got, ns)
	}
	ui := service(t, p, "temporal-ui")
	if _, uiPort := hostPort(t, "x:"+env(t, ui, "TEMPORAL_UI_PORT")); !publishes(ui, uiPort) {
		t.Errorf("temporal-ui does not publish its port %d", uiPort)
	}
	server := strings.TrimPrefix(goModVersion(t, "go.temporal.io/server"), "v")
	for _, svc := range []string{"temporal", "temporal-schema", "temporal-namespace"} {
		if tag := imageTag(service(t, p, svc).Image); tag != server {
			t.Errorf("%s runs %s, want Temporal %s as in go.mod", svc, service(t, p, svc).Image, server)
		}
	}
	if tag, want := imageTag(ui.Image), strings.TrimPrefix(goModVersion(t, "github.com/temporalio/ui-server/v2"), "v"); tag != want {
		t.Errorf("temporal-ui runs %s, want UI %s as in go.mod", ui.Image, want)
	}
	dyn := env(t, temporal, "DYNAMIC_CONFIG_FILE_PATH")
	if src, ok := bindSource(temporal, dyn); !ok || !isFile(src) {
		t.Errorf("temporal's dynamic config %s is not a file mounted from the repository", dyn)
	}
}

// TestSearchAttributes: the namespace job registers exactly the custom search
// attributes that Cairn's workflows set, with their types.
func TestSearchAttributes(t *testing.T) {
	got := strings.Split(env(t, service(t, load(t), "temporal-namespace"), "CAIRN_SEARCH_ATTRIBUTES"), ",")
	var want []string
	for _, k := range workflows.SearchAttributes {
		want = append(want, k.GetName()+"="+k.GetValueType().String())
	}
	if !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("CAIRN_SEARCH_ATTRIBUTES registers %v, the workflows set %v", got, want)
	}
}

// TestPostgres: Temporal and the schema job reach the postgresql service
// with the credentials it is created with.
func TestPostgres(t *testing.T) {
	p := load(t)
	pg, temporal, schema := service(t, p, "postgresql"), service(t, p, "temporal"), service(t, p, "temporal-schema")
	user, pass := env(t, pg, "POSTGRES_USER"), env(t, pg, "POSTGRES_PASSWORD")
	for _, c := range []struct {
		svc        types.ServiceConfig
		name, want string
	}{
		{temporal, "POSTGRES_SEEDS", "postgresql"}, {temporal, "DB_PORT", "5432"},
		{temporal, "POSTGRES_USER", user}, {temporal, "POSTGRES_PWD", pass},
		{schema, "SQL_HOST", "postgresql"}, {schema, "SQL_PORT", "5432"}, {schema, "SQL_PLUGIN", env(t, temporal, "DB")},
		{schema, "SQL_USER", user}, {schema, "SQL_PASSWORD", pass},
	} {
		if got := env(t, c.svc, c.name); got != c.want {
			t.Errorf("%s: %s is %q, want %q", c.svc.Name, c.name, got, c.want)
		}
	}
}

// TestS3: the worker's S3 URL names the s3 service and the port versitygw
// listens on, which is published; the credentials file the CLI is given
// holds versitygw's keys; the bucket job makes a folder in the served tree;
// versitygw is the version the test bed pins.
func TestS3(t *testing.T) {
	p := load(t)
	s3, cairn, bucket := service(t, p, "s3"), service(t, p, "cairn"), service(t, p, "s3-bucket")
	_, port := hostPort(t, "x"+env(t, s3, "VGW_PORT"))
	if h, pt := hostPort(t, env(t, cairn, "CAIRN_S3_URL")); h != "s3" || pt != port {
		t.Errorf("CAIRN_S3_URL names %s:%d, want s3:%d", h, pt, port)
	}
	if !publishes(s3, port) {
		t.Errorf("s3 does not publish port %d", port)
	}
	if env(t, s3, "VGW_BACKEND") != "posix" {
		t.Errorf("versitygw's backend is %q, want posix", env(t, s3, "VGW_BACKEND"))
	}
	creds := p.Configs[cairn.Configs[0].Source].Content
	for _, kv := range [][2]string{{"aws_access_key_id", env(t, s3, "ROOT_ACCESS_KEY_ID")}, {"aws_secret_access_key", env(t, s3, "ROOT_SECRET_ACCESS_KEY")}} {
		if !strings.Contains(creds, kv[0]+" = "+kv[1]+"\n") {
			t.Errorf("the credentials file lacks %s = %s:\n%s", kv[0], kv[1], creds)
		}
	}
	data := env(t, s3, "VGW_BACKEND_ARG")
	if cmd := strings.Join(bucket.Command, " "); !strings.HasPrefix(cmd, "mkdir -p "+data+"/") {
		t.Errorf("s3-bucket runs %q, want a folder made under %s", cmd, data)
	}
	if !sameVolume(s3, bucket, data) {
		t.Errorf("s3 and s3-bucket do not share the volume at %s", data)
	}
	if tag := imageTag(s3.Image); !strings.Contains(readFile(t, "tests/tools/install.sh"), "VERSITYGW_VERSION="+tag+"\n") {
		t.Errorf("s3 runs versitygw %s, not the test bed's version", tag)
	}
}

// TestWorker: the worker is built from deploy/Dockerfile at the repository
// root, runs `cairn server` with its metrics port published, and reads the
// mounted kubeconfig.
func TestWorker(t *testing.T) {
	root := moduleRoot(t)
	for _, kubeconfig := range []string{"", "/somewhere/kubeconfig"} {
		var e []string
		if kubeconfig != "" {
			e = []string{"KUBECONFIG=" + kubeconfig}
		}
		cairn := service(t, load(t, e...), "cairn")
		if cairn.Build == nil || cairn.Build.Context != root || cairn.Build.Dockerfile != "deploy/Dockerfile" {
			t.Fatalf("cairn is built with %+v, want deploy/Dockerfile in %s", cairn.Build, root)
		}
		if len(cairn.Command) < 1 || cairn.Command[0] != "server" {
			t.Errorf("cairn runs %q, want server", cairn.Command)
		}
		if i := slices.Index(cairn.Command, "--metrics-address"); i < 0 || !publishes(cairn, port(t, cairn.Command[i+1])) {
			t.Errorf("cairn's metrics port is not published: %q %+v", cairn.Command, cairn.Ports)
		}
		src, ok := bindSource(cairn, env(t, cairn, "KUBECONFIG"))
		if want := kubeconfig; ok && want == "" {
			home, _ := os.UserHomeDir()
			want = filepath.Join(home, ".kube", "config")
			ok = src == want
		} else if ok {
			ok = src == kubeconfig
		}
		if !ok {
			t.Errorf("KUBECONFIG=%q: the worker's KUBECONFIG %s is mounted from %q", kubeconfig, env(t, cairn, "KUBECONFIG"), src)
		}
	}
}

// TestScripts: the setup scripts the jobs run are mounted from the
// repository and parse.
func TestScripts(t *testing.T) {
	p := load(t)
	for _, name := range []string{"temporal-schema", "temporal-namespace"} {
		s := service(t, p, name)
		script := s.Command[len(s.Command)-1]
		src, ok := bindSource(s, script)
		if !ok || !isFile(src) {
			t.Errorf("%s runs %s, which is not a file mounted from the repository", name, script)
			continue
		}
		if out, err := exec.Command("sh", "-n", src).CombinedOutput(); err != nil {
			t.Errorf("sh -n %s: %v\n%s", src, err, out)
		}
	}
}

func port(t *testing.T, addr string) uint32 {
	_, p := hostPort(t, "x"+addr[strings.LastIndex(addr, ":"):])
	return p
}

func sameVolume(a, b types.ServiceConfig, target string) bool {
	for _, va := range a.Volumes {
		for _, vb := range b.Volumes {
			if va.Type == types.VolumeTypeVolume && va.Target == target && vb.Target == target && va.Source == vb.Source {
				return true
			}
		}
	}
	return false
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

func readFile(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
