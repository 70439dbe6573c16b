// Command benchcontrol measures Cairn's control plane on the dev stack
// (`make dev-up`, then `. .dev/env`): the wall time, from the CLI call to the
// completed phase with --wait, of a backup and of a restore of the seed's
// nginx namespace without its volume (nginx.yaml, about ten objects). Each
// iteration backs the namespace up, deletes it and restores it. It prints
// every figure, min/median/max against the target, and where the time of
// each run went according to the workflow's Temporal history.
//
//	benchcontrol [-n 5] [-target 500ms] [-cairn bin/cairn] [-v] [-diagnose [-qps 200]]
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/workflows"
)

//go:embed nginx.yaml
var nginxYAML string

const namespace = "nginx-example"

func main() {
	n := flag.Int("n", 5, "iterations: each is one backup and one restore")
	target := flag.Duration("target", 500*time.Millisecond, "the target wall time of each")
	cairn := flag.String("cairn", "cairn", "the cairn binary")
	verbose := flag.Bool("v", false, "print the timeline of every workflow, not only the first of each kind")
	diagnose := flag.Bool("diagnose", false, "also run the activities in this process, with client-go's default QPS and with -qps, and print their apiserver and S3 requests")
	qps := flag.Float64("qps", 200, "the apiserver QPS (burst: twice) of -diagnose's second run")
	flag.Parse()
	err := run(*n, *target, *cairn, *verbose)
	if err == nil && *diagnose {
		id := time.Now().UTC().Format("20060102150405")
		if err = clientPath(id); err == nil {
			err = inProcess(id+"a", 0, 0)
		}
		if err == nil {
			err = inProcess(id+"b", float32(*qps), int(2**qps))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcontrol:", err)
		os.Exit(1)
	}
}

func run(n int, target time.Duration, cairn string, verbose bool) error {
	for _, v := range []string{"KUBECONFIG", "CAIRN_TEMPORAL_ADDRESS"} {
		if os.Getenv(v) == "" {
			return fmt.Errorf("$%s is not set: start the dev stack (make dev-up) and `. .dev/env`", v)
		}
	}
	tc, err := client.Dial(client.Options{HostPort: os.Getenv("CAIRN_TEMPORAL_ADDRESS"), Namespace: os.Getenv("CAIRN_TEMPORAL_NAMESPACE")})
	if err != nil {
		return err
	}
	defer tc.Close()
	if err := deployNginx(); err != nil {
		return err
	}
	fmt.Printf("CLI start-up (cairn --help): %v\n", cliStartup(cairn))
	id := time.Now().UTC().Format("20060102150405")
	var backups, restores []time.Duration
	var bSteps, rSteps []timeline
	for i := range n {
		b, r := fmt.Sprintf("bench-%s-%d", id, i), fmt.Sprintf("bench-%s-%d-restore", id, i)
		d, err := timed(cairn, "backup", "create", b, "--selector", "app=nginx", "--wait")
		if err != nil {
			return err
		}
		backups = append(backups, d)
		if err := kubectl("delete", "namespace", namespace, "--wait=true", "--timeout=120s"); err != nil {
			return err
		}
		rd, err := timed(cairn, "restore", "create", r, "--from-backup", b, "--wait")
		if err != nil {
			return err
		}
		restores = append(restores, rd)
		if err := kubectl("-n", namespace, "rollout", "status", "deployment/nginx-deployment", "--timeout=120s"); err != nil {
			return err
		}
		bt, err := history(tc, workflows.BackupID(b), d)
		if err != nil {
			return err
		}
		rt, err := history(tc, workflows.RestoreID(r), rd)
		if err != nil {
			return err
		}
		bSteps, rSteps = append(bSteps, bt), append(rSteps, rt)
		fmt.Printf("iteration %d: backup %v, restore %v\n", i+1, ms(d), ms(rd))
		if i == 0 || verbose {
			bt.print("backup " + b)
			rt.print("restore " + r)
		}
	}
	if n == 0 {
		return nil
	}
	fmt.Println()
	summary("backup", backups, target)
	summary("restore", restores, target)
	fmt.Println()
	breakdown("backup", bSteps)
	breakdown("restore", rSteps)
	return nil
}

// deployNginx (re)creates the namespace from nginx.yaml and waits for nginx.
func deployNginx() error {
	if err := kubectl("delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=120s"); err != nil {
		return err
	}
	var err error
	for range 50 { // the namespace's service account appears a moment after the namespace
		if err = kubectlIn(nginxYAML, "apply", "-f", "-"); err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	return kubectl("-n", namespace, "rollout", "status", "deployment/nginx-deployment", "--timeout=120s")
}

func cliStartup(cairn string) time.Duration {
	var best time.Duration
	for range 3 {
		start := time.Now()
		_ = exec.Command(cairn, "--help").Run()
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return best
}

// timed runs the cairn CLI and returns its wall time.
func timed(cairn string, args ...string) (time.Duration, error) {
	cmd := exec.Command(cairn, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return d, fmt.Errorf("cairn %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return d, nil
}

func kubectl(args ...string) error { return kubectlIn("", args...) }

func kubectlIn(stdin string, args ...string) error {
	cmd := exec.CommandContext(context.Background(), "kubectl", args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func summary(what string, ds []time.Duration, target time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	verdict := "meets"
	if s[len(s)/2] > target {
		verdict = "MISSES"
	}
	fmt.Printf("%-8s n=%d  min %v  median %v  max %v  (target %v: median %s it)\n",
		what, len(s), ms(s[0]), ms(median(s)), ms(s[len(s)-1]), target, verdict)
}

func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }
