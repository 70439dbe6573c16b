package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/errgroup"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// cliEnv makes the test binary run `cairn` with its arguments instead of
// the tests: TestWorkerKilledMidBackup starts `cairn server` processes it
// can kill that way.
const cliEnv = "CAIRN_E2E_TEST_RUN_CLI"

func init() {
	if os.Getenv(cliEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
}

// TestWorkerKilledMidBackup runs the control-plane worker as a process of
// its own (`cairn server`), kills it with SIGKILL while the backup's
// BackupResources activity lists a namespace of 2,000 ConfigMaps, starts it
// again, and checks that the backup completes, through a retry of that
// activity, with every ConfigMap in its resource list.
//
// The worker reaches the apiserver through a proxy that holds each page of
// that namespace's ConfigMap list for a moment, so that the activity is
// still running when the kill comes, however fast the machine.
func TestWorkerKilledMidBackup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	bed := testbed.ForTest(t)
	const cairnNS, appNS, name, count = "cairn-workerkill", "workerkill-app", "killed-backup", 2000
	store := bed.InstallCairn(t, ctx, cairnNS, cairnNS)
	if _, err := bed.Kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: appNS}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	want := createConfigMaps(t, ctx, bed, appNS, count)

	proxy := startSlowProxy(t, bed.RESTConfig, "/api/v1/namespaces/"+appNS+"/configmaps", time.Second)
	logDir := t.TempDir()
	first := startServerProcess(t, proxy.kubeconfig, filepath.Join(logDir, "worker-1.log"))

	c := dialTemporal(t, bed)
	sc := &starter.Client{Temporal: c, Locations: activities.KubeLocations{Store: store}}
	if err := sc.StartBackup(ctx, workflows.BackupInput{Name: name, Spec: activities.BackupSpec{IncludedNamespaces: []string{appNS}}}); err != nil {
		t.Fatal(err)
	}
	// Kill the worker once BackupResources runs and has read a page of the ConfigMaps.
	eventually(t, ctx, "BackupResources running, one page of ConfigMaps read", func() error {
		d, err := c.DescribeWorkflowExecution(ctx, workflows.BackupID(name), "")
		if err != nil {
			return err
		}
		for _, a := range d.GetPendingActivities() {
			if a.GetActivityType().GetName() == "BackupResources" && a.GetState() == enumspb.PENDING_ACTIVITY_STATE_STARTED {
				if n := proxy.pages.Load(); n < 1 {
					return fmt.Errorf("%d pages served", n)
				}
				return nil
			}
		}
		return fmt.Errorf("pending activities: %v", d.GetPendingActivities())
	})
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	killedAt, pagesBefore := time.Now(), proxy.pages.Load()
	t.Logf("worker killed after %d page(s) of ConfigMaps", pagesBefore)

	startServerProcess(t, proxy.kubeconfig, filepath.Join(logDir, "worker-2.log"))
	seen := watchItems(ctx, sc, name)
	res, err := sc.WaitBackup(ctx, name)
	if err != nil {
		t.Fatalf("backup after the restart: %v (%+v)", err, res)
	}
	// While it stored the ConfigMaps, describe showed their count growing.
	counts := seen()
	t.Logf("items describe showed while the backup ran: %v", counts)
	if !slices.ContainsFunc(counts, func(n int) bool { return n > 0 && n < count }) {
		t.Errorf("describe showed items %v while the backup ran, never a count between 0 and %d", counts, count)
	}
	t.Logf("backup %s %v after the kill: %d items", res.Phase, time.Since(killedAt).Round(time.Second), res.Items)
	if res.Phase != workflows.PhaseCompleted || res.Errors != 0 || res.Items < count {
		t.Fatalf("backup %+v", res)
	}
	if proxy.pages.Load() <= pagesBefore {
		t.Errorf("the restarted worker read no ConfigMaps")
	}

	// The attempt that completed BackupResources is the second: the first
	// died with the worker.
	attempts := activityAttempts(t, ctx, c, workflows.BackupID(name), "BackupResources")
	if !slices.Equal(attempts, []int32{2}) {
		t.Errorf("BackupResources completed on attempts %v, want [2]", attempts)
	}

	list, err := sc.BackupResourceList(ctx, res.StorageLocation, name)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range list["v1/ConfigMap"] {
		got[e] = true
	}
	missing := 0
	for _, e := range want {
		if !got[e] {
			missing++
			if missing <= 5 {
				t.Errorf("the resource list lacks %s", e)
			}
		}
	}
	if missing > 0 || len(got) < count {
		t.Fatalf("%d of %d ConfigMaps missing from the resource list (%d listed)", missing, count, len(got))
	}
}

// watchItems describes backup name every 200 ms until it ends or ctx does,
// and returns a function that stops and lists the item counts seen while
// it was InProgress.
func watchItems(ctx context.Context, sc *starter.Client, name string) func() []int {
	ctx, cancel := context.WithCancel(ctx)
	var counts []int
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if b, err := sc.DescribeBackup(ctx, name); err == nil {
				if b.Phase != workflows.PhaseInProgress && b.Phase != workflows.PhaseNew {
					return
				}
				if len(counts) == 0 || counts[len(counts)-1] != b.Items {
					counts = append(counts, b.Items)
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	return func() []int { cancel(); <-done; return counts }
}

// createConfigMaps creates n ConfigMaps of about 1 KiB in namespace ns and
// returns their names as the resource list spells them (ns/name).
func createConfigMaps(t *testing.T, ctx context.Context, bed *testbed.Bed, ns string, n int) []string {
	t.Helper()
	start := time.Now()
	names := make([]string, n)
	var g errgroup.Group
	g.SetLimit(16)
	payload := fmt.Sprintf("%01024d", 0)
	for i := range n {
		names[i] = fmt.Sprintf("cm-%04d", i)
		g.Go(func() error {
			_, err := bed.Kube.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{
				ObjectMeta: metav1.ObjectMeta{Name: names[i], Labels: map[string]string{"app": "workerkill"}},
				Data:       map[string]string{"index": fmt.Sprint(i), "payload": payload},
			}, metav1.CreateOptions{})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d ConfigMaps created in %v", n, time.Since(start).Round(time.Millisecond))
	for i := range names {
		names[i] = ns + "/" + names[i]
	}
	return names
}

// slowProxy forwards plain HTTP to the test bed's apiserver with its admin
// credentials, holding each list of the ConfigMaps of one namespace.
type slowProxy struct {
	kubeconfig string
	pages      atomic.Int64 // lists of the slowed path answered
}

func startSlowProxy(t *testing.T, target *rest.Config, slowPath string, delay time.Duration) *slowProxy {
	t.Helper()
	u, err := url.Parse(target.Host)
	if err != nil {
		t.Fatal(err)
	}
	transport, err := rest.TransportFor(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &slowProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport, rp.FlushInterval = transport, -1
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slow := r.Method == http.MethodGet && r.URL.Path == slowPath && r.URL.Query().Get("watch") == ""
		if slow {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		rp.ServeHTTP(w, r)
		if slow {
			p.pages.Add(1)
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["proxy"] = &clientcmdapi.Cluster{Server: "http://" + ln.Addr().String()}
	cfg.AuthInfos["proxy"] = &clientcmdapi.AuthInfo{}
	cfg.Contexts["proxy"] = &clientcmdapi.Context{Cluster: "proxy", AuthInfo: "proxy"}
	cfg.CurrentContext = "proxy"
	p.kubeconfig = filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, p.kubeconfig); err != nil {
		t.Fatal(err)
	}
	return p
}

// startServerProcess runs `cairn server` on kubeconfig as a child process
// (the test binary acting as the CLI) that the test can kill; its output
// goes to logFile. The test's cleanup kills it if it still runs.
func startServerProcess(t *testing.T, kubeconfig, logFile string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "server", "--metrics-address", "", "--kubeconfig", kubeconfig)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	logf, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		}
		_ = logf.Close()
		if t.Failed() {
			if data, err := os.ReadFile(logFile); err == nil {
				t.Logf("%s:\n%s", filepath.Base(logFile), data)
			}
		}
	})
	return cmd
}

// activityAttempts returns the attempt on which each finished activity of
// type activityType ran, from the workflow's history.
func activityAttempts(t *testing.T, ctx context.Context, c client.Client, id, activityType string) []int32 {
	t.Helper()
	scheduled := map[int64]bool{}
	var attempts []int32
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil && a.GetActivityType().GetName() == activityType {
			scheduled[ev.GetEventId()] = true
		}
		if a := ev.GetActivityTaskStartedEventAttributes(); a != nil && scheduled[a.GetScheduledEventId()] {
			attempts = append(attempts, a.GetAttempt())
		}
	}
	return attempts
}

// dialTemporal connects a client to the test bed's Temporal until the test
// ends.
func dialTemporal(t *testing.T, bed *testbed.Bed) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: bed.Temporal.HostPort(), Namespace: bed.Temporal.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}
