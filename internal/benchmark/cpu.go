package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The CLI starts the provider itself, so the benchmark puts itself in the dev override
// in the provider's place: started with these variables set (the CLI passes its
// environment on), it runs the provider they name as its child and, when the provider
// exits, appends the provider's rusage and its own to the file they name. A wrapper
// rather than sampling /proc, so that the CPU seconds and peak memory are the
// kernel's totals for the whole life of each provider process.
const (
	envWrapProvider = "OPENHEXA_BENCH_PROVIDER"
	envWrapRusage   = "OPENHEXA_BENCH_RUSAGE"
)

// wrapIfAsked runs this process as the provider's wrapper, and exits, when the CLI
// started it in the provider's place.
func wrapIfAsked() {
	if provider := os.Getenv(envWrapProvider); provider != "" {
		os.Exit(wrapProvider(provider, os.Getenv(envWrapRusage)))
	}
}

func wrapProvider(provider, record string) int {
	// Like the provider (go-plugin ignores interrupts: the CLI stops it over the
	// protocol), so that Ctrl-C on the benchmark does not orphan it.
	signal.Ignore(os.Interrupt)
	cmd := exec.Command(provider, os.Args[1:]...)
	// *os.File values are handed to the child as they are: the plugin handshake on
	// stdout and the logs on stderr reach the CLI without a copy in between.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "benchmark wrapper:", err)
		return 1
	}
	child, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var self syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	if child != nil && record != "" {
		// One short line per process, with O_APPEND: the CLI may run several at once.
		line := fmt.Sprintf("%d %d %d\n", cpuOf(child).Microseconds(), cpuOf(&self).Microseconds(), child.Maxrss)
		if f, err := os.OpenFile(record, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			_, _ = f.WriteString(line)
			_ = f.Close()
		}
	}
	return cmd.ProcessState.ExitCode()
}

func cpuOf(ru *syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeWrapper makes <work>/wrapper/terraform-provider-openhexa a link to this
// program and returns the directory, for the dev override.
func writeWrapper(work string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(work, "wrapper")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.Symlink(self, filepath.Join(dir, providerName))
}

// usage is what the wrappers of one CLI command recorded.
type usage struct {
	provider  time.Duration // user + system CPU of the provider processes
	wrappers  time.Duration // the wrappers' own, which the CLI's total includes
	peakKB    int64         // the largest maxrss among the provider processes
	processes int
}

func readUsage(record string) (usage, error) {
	var u usage
	f, err := os.Open(record)
	if os.IsNotExist(err) {
		return u, nil
	}
	if err != nil {
		return u, err
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			return u, fmt.Errorf("%s: unexpected line %q", record, sc.Text())
		}
		var v [3]int64
		for i, s := range fields {
			if v[i], err = strconv.ParseInt(s, 10, 64); err != nil {
				return u, fmt.Errorf("%s: %w", record, err)
			}
		}
		u.provider += time.Duration(v[0]) * time.Microsecond
		u.wrappers += time.Duration(v[1]) * time.Microsecond
		u.peakKB = max(u.peakKB, v[2]) // Linux reports ru_maxrss in KiB
		u.processes++
	}
	return u, sc.Err()
}
