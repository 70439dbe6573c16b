// Command testbed runs the development stack behind `make dev-up` and
// `make dev-down`: the same components the integration tests start (package
// testbed), kept running in the background with their state in one folder.
//
//	testbed up   [-dir .dev]   start the stack unless it runs; return when it is ready
//	testbed down [-dir .dev]   stop what up started
//	testbed serve [-dir .dev]  run the stack in the foreground (what up runs)
//
// The stack's two nodes are real (kubelet, containerd, runc; root needed)
// unless CAIRN_DEV_SIMULATED_NODES=1 asks for simulated ones, which start
// faster and hold hundreds of pods.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cairn-backup/cairn/tests/testbed"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testbed up|down|serve [-dir DIR]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", ".dev", "folder for the stack's state, logs and env file")
	_ = fs.Parse(os.Args[2:])
	abs, err := filepath.Abs(*dir)
	if err == nil {
		switch os.Args[1] {
		case "up":
			err = up(abs)
		case "down":
			err = down(abs)
		case "serve":
			err = serve(abs)
		default:
			err = fmt.Errorf("unknown command %q: use up, down or serve", os.Args[1])
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testbed:", err)
		os.Exit(1)
	}
}

// simulatedNodesEnv set to 1 makes the stack simulate its nodes.
const simulatedNodesEnv = "CAIRN_DEV_SIMULATED_NODES"

func pidFile(dir string) string   { return filepath.Join(dir, "testbed.pid") }
func readyFile(dir string) string { return filepath.Join(dir, "ready") }
func envFile(dir string) string   { return filepath.Join(dir, "env") }

// running returns the pid of a live supervisor of dir, or 0.
func running(dir string) int {
	data, err := os.ReadFile(pidFile(dir))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 || syscall.Kill(pid, 0) != nil {
		return 0
	}
	return pid
}

func up(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if pid := running(dir); pid != 0 {
		if _, err := os.Stat(readyFile(dir)); err == nil {
			fmt.Printf("the dev stack is already up (pid %d); `. %s` to use it\n", pid, envFile(dir))
			return nil
		}
		return waitReady(dir, pid)
	}
	_ = os.Remove(readyFile(dir))
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logPath := filepath.Join(dir, "testbed.log")
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command(self, "serve", "-dir", dir)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	pid := cmd.Process.Pid
	_ = cmd.Process.Release()
	if err := os.WriteFile(pidFile(dir), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("starting the dev stack (pid %d, log %s)...\n", pid, logPath)
	return waitReady(dir, pid)
}

func waitReady(dir string, pid int) error {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(readyFile(dir)); err == nil {
			env, _ := os.ReadFile(envFile(dir))
			fmt.Printf("the dev stack is up. Use it with:  . %s\n%s", envFile(dir), env)
			return nil
		}
		if syscall.Kill(pid, 0) != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "testbed.log"))
			return fmt.Errorf("the dev stack failed to start:\n%s", log)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.New("the dev stack was not ready within 5 minutes; see " + filepath.Join(dir, "testbed.log"))
}

func down(dir string) error {
	pid := running(dir)
	if pid == 0 {
		fmt.Println("the dev stack is not running")
		_ = os.Remove(pidFile(dir))
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return err
	}
	for range 300 {
		if syscall.Kill(pid, 0) != nil {
			fmt.Println("the dev stack is down")
			_ = os.Remove(pidFile(dir))
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	_ = os.Remove(pidFile(dir))
	return errors.New("the dev stack did not stop within 30s and was killed")
}

func serve(dir string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	start := time.Now()
	realNodes := os.Getenv(simulatedNodesEnv) != "1"
	bed, err := testbed.Start(ctx, testbed.Options{Dir: dir, PersistTemporal: true, UI: true, Logger: logger, RealNodes: realNodes})
	if err != nil {
		return err
	}
	defer func() {
		bed.Stop()
		_ = os.Remove(readyFile(dir))
		logger.Info("dev stack stopped")
	}()
	if err := startCairn(ctx, bed, dir); err != nil {
		return err
	}
	if err := bed.WriteEnv(envFile(dir)); err != nil {
		return err
	}
	if err := os.WriteFile(readyFile(dir), []byte(time.Now().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return err
	}
	logger.Info("dev stack ready", "took", time.Since(start).Round(time.Millisecond))
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := bed.Alive(); err != nil {
				return err
			}
		}
	}
}
