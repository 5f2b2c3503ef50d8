package service_test

import (
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// The contract is exactly what the server does: every route is exercised, with a success
// and a refusal, and every answer (status, content type, headers, body) validates against
// contracts/openapi/debt.yaml with kin-openapi's ValidateResponse; an undocumented status,
// a missing or undocumented field fails.
func TestEveryAnswerMatchesTheContract(t *testing.T) {
	e := newEnv(t)
	contract, call := e.Contract, e.Expect
	var officer, agent, manager, maidstone, swale string
	setClock := func(at time.Time) { // and tokens valid at it
		e.Clock.Set(at)
		officer, agent, manager = e.officer(), e.agent(), e.manager()
		maidstone, swale = e.client("maidstone-council-tax"), e.client("swale-council-tax")
	}
	setClock(start)
	csv := []string{"Content-Type", "text/csv"}
	header := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n"
	row := func(ref string) string {
		return ref + ",2026-01-10,LO-" + ref + ",Dora Debtor,\"1 High Street, Maidstone ME14 1AA\",100000\n"
	}
	caseIDs := func(r testkit.Response) []string {
		var ids []string
		for _, x := range r.JSON(t)["rows"].([]any) {
			if id, ok := x.(map[string]any)["case_id"].(string); ok { // a refused row has none
				ids = append(ids, id)
			}
		}
		return ids
	}

	// Public routes.
	call(200, "GET", "/notice", "", nil)
	call(200, "GET", "/notice.yaml", "", nil)
	etag := call(200, "GET", "/openapi.yaml", "", nil).Header.Get("ETag")
	call(304, "GET", "/openapi.yaml", "", nil, "If-None-Match", etag)
	call(200, "GET", "/healthz", "", nil)
	call(200, "GET", "/readyz", "", nil)
	call(200, "GET", "/metrics", "", nil)

	// Referral, and the case routes with a refusal on each.
	call(400, "POST", "/referrals?client=no-such-client", officer, header+row("X-1"), csv...)
	call(400, "POST", "/referrals", maidstone, "reference,amount\nX-1,1\n", csv...) // a malformed file
	call(415, "POST", "/referrals", maidstone, header+row("X-1"), "Content-Type", "application/pdf")
	call(401, "POST", "/referrals", "", header+row("X-1"), csv...)
	call(401, "GET", "/cases", "", nil)
	ids := caseIDs(call(200, "POST", "/referrals", maidstone, header+row("C-A")+row("C-B")+row("C-C")+row("C-D")+row("C-E")+"C-F,2099-01-01,LO,Dora,1 High St,1\n", csv...))
	a, b, cc, d, x := "/cases/"+ids[0], "/cases/"+ids[1], "/cases/"+ids[2], "/cases/"+ids[3], "/cases/"+ids[4]
	call(200, "GET", "/cases?status=compliance&stage=compliance&limit=2", officer, nil)
	call(400, "GET", "/cases?limit=0", officer, nil)
	call(400, "GET", "/cases?after=garbage", officer, nil) // a cursor that is no reference
	call(200, "GET", a, maidstone, nil)
	call(404, "GET", a, swale, nil)

	setClock(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC)) // past the notice period
	call(409, "POST", b+"/notice-of-sale", agent, nil)
	call(409, "POST", b+"/sale", agent, map[string]any{"proceeds_pence": 5000, "sold_at": "2026-03-12T09:00:00Z"})
	call(409, "POST", a+"/visits", agent, map[string]any{"at": "2026-03-12T03:00:00Z", "outcome": "no_contact", "body_worn_video": "BWV-1"})
	call(200, "POST", a+"/visits", agent, map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-2"})
	call(200, "POST", a+"/notice-of-sale", agent, nil)
	call(409, "POST", b+"/removal-attendance", agent, map[string]any{"at": "2026-03-12T09:45:00Z", "purpose": "remove_for_sale", "body_worn_video": "BWV-3"})
	call(200, "POST", a+"/removal-attendance", agent, map[string]any{"at": "2026-03-12T09:45:00Z", "purpose": "remove_for_sale", "body_worn_video": "BWV-3"})
	setClock(time.Date(2026, 3, 30, 10, 0, 0, 0, time.UTC)) // past the notice of sale
	call(200, "POST", a+"/sale", agent, map[string]any{"proceeds_pence": 5000, "sold_at": "2026-03-30T09:00:00Z"})
	call(400, "POST", a+"/payments", officer, map[string]any{"amount_pence": 0})
	call(200, "POST", a+"/payments", officer, map[string]any{"amount_pence": 2500})
	call(400, "POST", b+"/arrangement", officer, map[string]any{"first_due": "2026-03-01", "amount_pence": 60000, "count": 3, "frequency": "monthly"})
	call(200, "POST", b+"/arrangement", officer, map[string]any{"first_due": "2026-04-06", "amount_pence": 60000, "count": 2, "frequency": "monthly"})
	call(409, "POST", cc+"/vulnerability/review", officer, map[string]any{"advice_opportunity_given": true, "continue_enforcement": true})
	call(400, "POST", cc+"/vulnerability", officer, map[string]any{"nature": ""})
	call(200, "POST", cc+"/vulnerability", officer, map[string]any{"nature": "recently bereaved"})
	call(200, "POST", cc+"/vulnerability/review", officer, map[string]any{"advice_opportunity_given": true, "continue_enforcement": true})
	call(400, "POST", d+"/return", officer, map[string]any{"reason": "paid"})
	call(200, "POST", d+"/return", officer, map[string]any{"reason": "nulla_bona"})
	call(404, "POST", x+"/recall", swale, nil)
	call(200, "POST", x+"/recall", maidstone, nil)
	call(400, "POST", b+"/consents", officer, map[string]any{"recipient": "acme-debt-buyers"})
	call(400, "POST", b+"/consents", officer, map[string]any{"recipient": "courts"}) // a legal obligation: consent is not asked for
	call(200, "POST", b+"/consents", officer, map[string]any{"recipient": "debt-advice-agency"})
	call(200, "DELETE", b+"/consents/debt-advice-agency", officer, nil)
	call(409, "DELETE", b+"/consents/debt-advice-agency", officer, nil)
	call(201, "POST", b+"/disclosures", officer, map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client"})
	call(403, "POST", b+"/disclosures", officer, map[string]any{"recipient": "swale-borough-council", "purpose": "return_to_client"})
	call(200, "GET", b+"/disclosures", manager, nil)
	call(403, "GET", b+"/disclosures", officer, nil)
	call(403, "PUT", b+"/legal-hold", officer, map[string]any{"reason": "claim"})
	call(409, "DELETE", b+"/legal-hold", manager, nil)
	call(200, "PUT", b+"/legal-hold", manager, map[string]any{"reason": "civil claim pending"})
	call(200, "DELETE", b+"/legal-hold", manager, nil)
	call(200, "GET", "/remittance?from=2026-03-01&to=2026-03-31", maidstone, nil)
	call(400, "GET", "/remittance?client=no-such-client", officer, nil)
	call(200, "GET", "/statistics", officer, nil)
	call(400, "GET", "/statistics?from=2026-13-01", officer, nil)
	call(409, "POST", b+"/arrangement/review", officer, map[string]any{"decision": "end", "reason": "Missed payments."}) // none breached
	// Both instalments of b's arrangement pass unpaid: the sweep flags it for review.
	setClock(time.Date(2026, 5, 7, 10, 0, 0, 0, time.UTC))
	for range 2 {
		if _, err := e.svc.App.SweepInstalments(t.Context(), 100); err != nil {
			t.Fatal(err)
		}
	}
	call(200, "GET", b, officer, nil) // breached, awaiting review
	call(200, "GET", "/cases?arrangement_review_pending=true", officer, nil)
	call(200, "GET", b, maidstone, nil)
	call(400, "POST", b+"/arrangement/review", officer, map[string]any{"decision": "end", "reason": " "})
	call(403, "POST", b+"/arrangement/review", agent, map[string]any{"decision": "end", "reason": "Missed payments."})
	call(200, "POST", b+"/arrangement/review", officer, map[string]any{"decision": "continue", "reason": "Debtor phoned: paying on Friday."})
	call(200, "GET", b, officer, nil) // with an arrangement, consents and disclosures on it
	call(200, "GET", a, officer, nil) // sold, with its payments

	contract.RequireExercised(t, []int{2, 4}, map[string][]int{
		"GET /notice": {4}, "GET /notice.yaml": {4}, "GET /openapi.yaml": {4}, "GET /healthz": {4}, "GET /readyz": {4}, "GET /metrics": {4},
	})
	if t.Failed() {
		t.Log(contract.Summary())
	}
}
