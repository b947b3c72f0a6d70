package export_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// exportProcessArgs, when set, makes TestExportProcess run the command with these
// arguments (one a line) as a process of its own, which the test can signal.
const exportProcessArgs = "OPENHEXA_TEST_EXPORT_ARGS"

// TestExportProcess is the export command in a process of its own, for
// TestExportTerminatedRemovesItsLock; it does nothing in a test run.
func TestExportProcess(t *testing.T) {
	args := os.Getenv(exportProcessArgs)
	if args == "" {
		return
	}
	os.Exit(export.Main(strings.Split(args, "\n"), os.Stdout, os.Stderr, "test"))
}

// TestExportTerminatedRemovesItsLock: a run terminated (SIGTERM, as a CI runner ends a
// job it cancels or that timed out) while it waits for OpenHEXA stops as after any
// error: it removes its lock, so that the next run is not refused, and writes nothing.
func TestExportTerminatedRemovesItsLock(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send on Windows")
	}
	srv := openhexatest.Start(t, openhexatest.WithLatency(10*time.Minute))
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestExportProcess$")
	cmd.Env = append(os.Environ(), exportProcessArgs+"=-workspace\n"+openhexatest.WorkspaceMain+"\n-dir\n"+dir,
		"PATH="+gitOnlyPath(t), "OPENHEXA_URL="+srv.URL(), "OPENHEXA_TOKEN="+openhexatest.TokenAdmin,
		"HEXA_SERVER_URL=", "HEXA_TOKEN=", "TF_ACC=") // TF_ACC: acctest.Main prepares nothing the process would leave
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The lock exists once the run is under way; every request then waits on the server.
	lock := filepath.Join(dir, ".terraform-provider-openhexa-export.lock")
	for {
		if _, err := os.Stat(lock); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the export ended before it took the lock (%v):\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("the terminated export: %v, want exit status 1:\n%s", err, stderr.String())
	}
	if _, err := os.Stat(lock); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the terminated export left its lock behind (%v):\n%s", err, stderr.String())
	}
	t.Logf("the terminated export:\n%s", stderr.String())
	if files := readDir(t, dir); len(files) != 0 {
		t.Errorf("the terminated export wrote %v", keys(files))
	}
}
