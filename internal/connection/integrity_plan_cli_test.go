package connection_test

// Integrity tests of the plan-time slug check and of adopt_identical, driven through
// the OpenTofu CLI (see integrity_cli_test.go for the harness): a plan fails on a
// slug OpenHEXA already holds, and an apply killed part-way is finished by one apply
// with adopt_identical, which refuses a look-alike.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// storedFor is what the web app would hold for a declared connection: its name,
// slug and sample values.
func storedFor(d declaredConnection) openhexatest.StoredConnection {
	c := storedFromSample(d.kind, d.slug, kindSamples[d.kind.Name].create)
	c.Name = d.name
	return c
}

// TestAccIntegrityPlanFailsOnTakenSlug: a plan whose creates would use slugs that
// OpenHEXA already holds (one derived from the name, one explicit) fails, each error
// on its resource, with the import block to write; nothing is created. A connection
// deleted and re-made in the web app with the same slug makes the next plan fail
// the same way, naming the new one. Two resources whose names derive one slug fail
// the plan too.
func TestAccIntegrityPlanFailsOnTakenSlug(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tg := targetFor(t)
	plugins := buildProvider(ctx, t, t.TempDir())
	decls := integrityConnections(t, tg.prefix, 3, 1)
	tf := newTofuCLI(t, cli, plugins)
	mainTF := filepath.Join(tf.work, "main.tf")

	writeFile(t, mainTF, integrityConfig(tg.url, tg.workspace, decls[:2]))
	holders := []openhexatest.StoredConnection{}
	for _, d := range decls[:2] {
		c := storedFor(d)
		c.Name = tg.name("Made in the web app " + d.local)
		holders = append(holders, tg.create(t, c))
	}
	out, code := tf.run(ctx, tg.editor, "plan", "-input=false", "-no-color")
	if code == 0 {
		t.Fatalf("the plan passed with both slugs taken:\n%s", tail(out))
	}
	for i, d := range decls[:2] {
		for _, want := range []string{"with " + d.address(), holders[i].ID, fmt.Sprintf("id = %q", tg.workspace+"/"+d.slug)} {
			if !strings.Contains(out, want) {
				t.Errorf("the plan's output lacks %q:\n%s", want, tail(out))
			}
		}
	}
	if n := strings.Count(out, "Connection slug already in use"); n != 2 {
		t.Errorf("the plan gave %d slug errors, want 2:\n%s", n, tail(out))
	}
	if held := tg.held(ctx, t); len(held) != 2 {
		t.Errorf("OpenHEXA holds %d connections of the run, want the 2 made out of band", len(held))
	}
	if inState := tf.stateList(ctx, t); len(inState) != 0 {
		t.Errorf("the state holds %v", inState)
	}

	// Two resources whose names derive one slug: the plan fails on one of them.
	twins := integrityConnections(t, tg.prefix, 2)
	twins[0].name, twins[1].name = tg.prefix+"Données", tg.prefix+"Donnees"
	writeFile(t, mainTF, integrityConfig(tg.url, tg.workspace, twins))
	out, code = tf.run(ctx, tg.editor, "plan", "-input=false", "-no-color")
	if code == 0 || strings.Count(out, "Connection slug planned twice") != 1 {
		t.Errorf("the plan of two resources deriving one slug does not fail once (exit %d):\n%s", code, tail(out))
	}

	// Deleted and re-made in the web app under the same slug.
	remade := decls[2]
	writeFile(t, mainTF, integrityConfig(tg.url, tg.workspace, []declaredConnection{remade}))
	if out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply failed (exit %d):\n%s", code, tail(out))
	}
	tg.remove(t, remade.slug)
	again := tg.create(t, storedFor(remade))
	out, code = tf.run(ctx, tg.editor, "plan", "-input=false", "-no-color")
	if code == 0 || !strings.Contains(out, "Connection slug already in use") || !strings.Contains(out, again.ID) {
		t.Errorf("the plan after the connection was re-made in the web app does not fail naming it (exit %d):\n%s", code, tail(out))
	}
	if held, ok := tg.storedBySlug(t, remade.slug); !ok || held.ID != again.ID {
		t.Errorf("OpenHEXA holds %+v under %s, want the re-made connection", held, remade.slug)
	}
}

// countWarnings counts the warnings with this summary in `-json` output.
func countWarnings(output, summary string) int {
	n := 0
	scanner := bufio.NewScanner(strings.NewReader(output))
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var msg struct {
			Type       string          `json:"type"`
			Diagnostic *jsonDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(scanner.Bytes(), &msg) == nil && msg.Diagnostic != nil && msg.Diagnostic.Severity == "warning" &&
			msg.Diagnostic.Summary == summary {
			n++
		}
	}
	return n
}

// TestAccIntegrityAdoptIdenticalFinishesInterruptedApply applies 30 connections
// through a proxy that answers mutations late, kills the CLI's process group with
// SIGKILL half-way, and recovers with one apply under OPENHEXA_ADOPT_IDENTICAL=true:
// it adopts every connection the killed apply made and creates the rest, with one
// warning per adoption; then the plan is empty and OpenHEXA holds each declared
// connection once. A look-alike that differs in one field is refused, untouched.
func TestAccIntegrityAdoptIdenticalFinishesInterruptedApply(t *testing.T) {
	cli := requireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	plugins := buildProvider(ctx, t, t.TempDir())

	t.Run("killed apply of 30", func(t *testing.T) {
		const total = 30
		tg := targetFor(t)
		proxy := startLateProxy(t, tg.url)
		decls := integrityConnections(t, tg.prefix, total, 1, 8, 15)
		tf := newTofuCLI(t, cli, plugins)
		writeFile(t, filepath.Join(tf.work, "main.tf"), integrityConfig(proxy.URL(), tg.workspace, decls))

		proxy.delay.Store(int64(time.Second))
		cmd := tf.command(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4")
		var killedOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &killedOut, &killedOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		started := time.Now()
		for held := 0; held < total/2; held = tg.countHeld(ctx, t) {
			select {
			case err := <-exited:
				t.Fatalf("the apply ended (%v) before the server held %d connections:\n%s", err, total/2, tail(killedOut.String()))
			case <-time.After(50 * time.Millisecond):
			}
			if time.Since(started) > 90*time.Second {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				t.Fatalf("the server held fewer than %d connections after 90 s", total/2)
			}
		}
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			t.Fatalf("killing the CLI's process group: %v", err)
		}
		if err := <-exited; err == nil {
			t.Fatal("the apply finished before the kill reached it: the test proves nothing")
		}
		proxy.settle(t)
		proxy.delay.Store(0)
		atKill, inState := tg.held(ctx, t), tf.stateIDs(ctx, t)
		orphans := len(atKill) - len(inState)
		t.Logf("killed after %s: OpenHEXA holds %d connections, the state %d", time.Since(started).Round(time.Millisecond), len(atKill), len(inState))
		if orphans == 0 {
			t.Fatal("the kill left no connection outside state: the test proves nothing")
		}

		tf.env = []string{"OPENHEXA_ADOPT_IDENTICAL=true"}
		out, code := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-json", "-parallelism=4")
		if code != 0 {
			logErrorDiagnostics(t, out)
			t.Fatalf("the apply with adopt_identical failed (exit %d)", code)
		}
		if n := countWarnings(out, "Existing connection adopted"); n != orphans {
			t.Errorf("%d adoption warnings, want one per connection outside state (%d)", n, orphans)
		}
		tf.env = nil
		if out, code := tf.run(ctx, tg.editor, "plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
			t.Errorf("the plan after recovery is not empty (exit %d):\n%s", code, tail(out))
		}
		if problems := duplicationProblems(tg.held(ctx, t), decls, true); len(problems) > 0 {
			t.Errorf("after recovery OpenHEXA does not hold each declared connection once:\n  %s", strings.Join(problems, "\n  "))
		}
		if ids := tf.stateIDs(ctx, t); len(ids) != total {
			t.Errorf("after recovery the state holds %d connections, want %d", len(ids), total)
		}
	})

	t.Run("look-alike refused", func(t *testing.T) {
		tg := targetFor(t)
		decls := integrityConnections(t, tg.prefix, 1, 0)
		d := decls[0]
		code := d.kind.Fields[0].Code // a field that is not a secret
		lookAlike := storedFor(d)
		lookAlike.Fields = withField(lookAlike.Fields, code, "changed-in-the-web-app")
		held := tg.create(t, lookAlike)
		tf := newTofuCLI(t, cli, plugins)
		tf.env = []string{"OPENHEXA_ADOPT_IDENTICAL=true"}
		writeFile(t, filepath.Join(tf.work, "main.tf"), integrityConfig(tg.url, tg.workspace, decls))
		out, exit := tf.run(ctx, tg.editor, "apply", "-auto-approve", "-input=false", "-no-color")
		if exit == 0 || !strings.Contains(out, fmt.Sprintf("field %q (value)", code)) || !strings.Contains(out, held.ID) {
			t.Errorf("the apply does not refuse the look-alike naming %q (exit %d):\n%s", code, exit, tail(out))
		}
		if inState := tf.stateList(ctx, t); len(inState) != 0 {
			t.Errorf("the state holds %v", inState)
		}
		now, ok := tg.storedBySlug(t, d.slug)
		if !ok || now.ID != held.ID || len(tg.held(ctx, t)) != 1 {
			t.Fatalf("OpenHEXA holds %+v; want the look-alike alone", now)
		}
		for _, f := range now.Fields {
			if f.Code == code && f.Value != "changed-in-the-web-app" {
				t.Errorf("the look-alike's %s changed to %q", code, f.Value)
			}
		}
	})
}
