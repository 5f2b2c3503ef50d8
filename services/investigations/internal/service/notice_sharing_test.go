package service_test

import (
	"slices"
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/investigations/internal/service"
)

// TestSharingIsDecidedByTheNoticeFileAlone makes the same referrals against the contract's
// notice and against a copy changed in YAML only, and each change flips what goes: whom a
// recipient hears about, what stays with the reporter's identity and what goes only on a
// conviction are the notice's to say, not the Go code's.
func TestSharingIsDecidedByTheNoticeFileAlone(t *testing.T) {
	raw, err := contracts.Notice("investigations")
	if err != nil {
		t.Fatal(err)
	}
	edited := testkit.EditedFile(t, "investigations.yaml", raw,
		// The person investigated may hear about witnesses, and never about the reporter.
		"    only_about: [subject, reporter]\n", "    only_about: [subject, witness]\n",
		// The reporter's identity no longer covers the rest of what is known about them.
		"    identifies: [reporter]\n", "",
		// A publication decision may be asked for at any time, not only on a conviction.
		"    only_on: conviction\n", "")

	// outcome is a referral's status and the data sent, or the rule of a conflict.
	type outcome struct {
		status int
		data   any
	}
	for _, tc := range []struct {
		name, notice                   string
		subject, taskForce, publishing func(f fixture) outcome
	}{
		{name: "contract notice",
			subject: func(f fixture) outcome {
				return outcome{201, map[string]any{"people": []any{pick(subject, f.subjectID, "name")}, "matter": matter}}
			},
			taskForce: func(f fixture) outcome {
				return outcome{201, map[string]any{"people": []any{pick(subject, f.subjectID, "name", "address"),
					pick(witness, f.witnessID, "name", "address")}, "matter": matter}}
			},
			publishing: func(fixture) outcome { return outcome{409, "publication_decision_via_conviction"} }},
		{name: "notice edited in YAML", notice: edited,
			subject: func(f fixture) outcome {
				return outcome{201, map[string]any{"people": []any{pick(subject, f.subjectID, "name"), pick(witness, f.witnessID, "name")}, "matter": matter}}
			},
			taskForce: func(f fixture) outcome {
				return outcome{201, map[string]any{"people": []any{pick(reporter, f.reporterID, "name", "address"),
					pick(subject, f.subjectID, "name", "address"), pick(witness, f.witnessID, "name", "address")}, "matter": matter}}
			},
			publishing: func(f fixture) outcome {
				return outcome{201, map[string]any{"people": []any{pick(reporter, f.reporterID, "name", "town"),
					pick(subject, f.subjectID, "name", "town"), pick(witness, f.witnessID, "name")}}}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := testkit.NewDatabase(t, service.Migrations()...)
			e := newEnvWithNotice(t, db, testkit.NewNATS(t), calendar.NewManualClock(start), tc.notice)
			officer := e.officer("olive")
			f := e.openCase(officer, "anti_social_behaviour", "", nil)
			e.Must(200, "POST", "/investigations/"+f.id+"/conditions", officer,
				map[string]any{"recipient": "kent-police", "condition": "recorded_necessity", "reason": "task force meeting"})
			refer := func(recipient, purpose string, categories ...string) outcome {
				body := map[string]any{"recipient": recipient, "purpose": purpose}
				if categories != nil {
					body["categories"] = categories
				}
				r := e.Call("POST", "/investigations/"+f.id+"/referrals", officer, body)
				if r.Status != 201 {
					return outcome{r.Status, r.JSON(t)["rule"]}
				}
				return outcome{r.Status, r.JSON(t)["data"]}
			}
			for _, c := range []struct {
				what      string
				got, want outcome
			}{
				{"the person investigated", refer("subject-of-investigation", "investigation", "name", "nature_of_matter"), tc.subject(f)},
				{"the police as a task force partner", refer("kent-police", "interagency_partnership"), tc.taskForce(f)},
				{"the publication service without a conviction", refer("publication-service", "publication_decision"), tc.publishing(f)},
			} {
				if g, w := normal(t, c.got.data), normal(t, c.want.data); c.got.status != c.want.status || g != w {
					t.Errorf("%s: %d %s\nwant %d %s", c.what, c.got.status, g, c.want.status, w)
				}
			}
		})
	}
}

// TestTheNoticeNamesEveryRoleAPersonMayHave: what a recipient may hear about a person
// turns on their role, so every role the API accepts must be one of the notice's people,
// or data about people in it would go nowhere.
func TestTheNoticeNamesEveryRoleAPersonMayHave(t *testing.T) {
	spec, err := contracts.OpenAPI("investigations")
	if err != nil {
		t.Fatal(err)
	}
	const enum = "role: {type: string, enum: ["
	_, rest, ok := strings.Cut(string(spec), enum)
	list, _, closed := strings.Cut(rest, "]")
	if !ok || !closed {
		t.Fatalf("the contract no longer spells the person's role as %q", enum)
	}
	n, _, err := serviceNotice()
	if err != nil {
		t.Fatal(err)
	}
	var people []string
	for _, p := range n.People {
		people = append(people, p.ID)
	}
	for _, role := range strings.Split(list, ",") {
		if role = strings.TrimSpace(role); !slices.Contains(people, role) {
			t.Errorf("role %q is not among the notice's people %v", role, people)
		}
	}
}
