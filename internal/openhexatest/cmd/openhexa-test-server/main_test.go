package main

import (
	"bytes"
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
