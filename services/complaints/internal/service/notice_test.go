package service_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/services/complaints/internal/service"
)

// A notice that names a category it does not define must stop the service at start-up,
// saying where and what.
func TestMalformedNoticeStopsStartUp(t *testing.T) {
	raw, err := contracts.Notice("complaints")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(raw), "categories: [complainant_name, complaint_details, stage2_details]",
		"categories: [complainant_name, complaint_details, shoe_size]", 1)
	if broken == string(raw) {
		t.Fatal("the test's edit no longer matches the notice")
	}
	path := filepath.Join(t.TempDir(), "complaints.yaml")
	if err := os.WriteFile(path, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = bootstrap.LoadNotice(service.Name, path, contracts.Notice)
	if err == nil || !strings.Contains(err.Error(), "recipients.subject-of-complaint.rules[0].categories") || !strings.Contains(err.Error(), "shoe_size") {
		t.Fatalf("want a refusal naming the key and the unknown category, got: %v", err)
	}

	if _, _, err := bootstrap.LoadNotice(service.Name, "", contracts.Notice); err != nil {
		t.Fatalf("the built-in notice must load: %v", err)
	}
}
