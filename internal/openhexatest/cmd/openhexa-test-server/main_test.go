package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

func TestCheckLoopback(t *testing.T) {
	for addr, valid := range map[string]bool{
		"127.0.0.1:8765": true,
		"127.0.0.2:0":    true,
		"[::1]:8765":     true,
		"localhost:8765": true,
		"0.0.0.0:8765":   false,
		":8765":          false,
		"10.0.0.1:8765":  false,
		"example.org:80": false,
		"127.0.0.1":      false,
	} {
		if err := checkLoopback(addr); (err == nil) != valid {
			t.Errorf("checkLoopback(%q) = %v", addr, err)
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:8765"},
		{"-seed", "full"},
		{"extra"},
		{"-nope"},
	} {
		var out bytes.Buffer
		if err := run(args, &out); err == nil {
			t.Errorf("run(%q) accepted", args)
		}
	}
}

func TestBanner(t *testing.T) {
	srv := openhexatest.New(openhexatest.WithSampleConnections())
	if _, err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var out bytes.Buffer
	printBanner(&out, srv)
	text := out.String()
	for _, want := range []string{
		srv.URL(), openhexatest.WorkspaceMain, openhexatest.WorkspaceOther,
		openhexatest.TokenAdmin, openhexatest.TokenEditor, openhexatest.TokenViewer,
		openhexatest.TokenOutsider, openhexatest.TokenSuperuser,
		"malaria-surveillance=EDITOR", "superuser", "(2 connections)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("banner lacks %q:\n%s", want, text)
		}
	}
}

// TestStopHintOnlyOnATerminal: "Press Ctrl+C" is for a person at a terminal, never in
// the output of a script that runs the server (make demo) or in a log file.
func TestStopHintOnlyOnATerminal(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, out := range map[string]io.Writer{"a buffer": &bytes.Buffer{}, "a file": file} {
		if isTerminal(out) {
			t.Errorf("%s is taken for a terminal", name)
		}
	}
}
