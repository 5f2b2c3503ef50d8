package adapters

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/services/debt/internal/domain"
)

// Row structs mirror the tables and their JSONB documents; the domain never sees them.

type caseRow struct {
	ID                  string         `db:"id"`
	Reference           string         `db:"reference"`
	ClientID            string         `db:"client_id"`
	ClientReference     string         `db:"client_reference"`
	DebtType            string         `db:"debt_type"`
	OrderKind           string         `db:"order_kind"`
	OrderDate           string         `db:"order_date"`
	OrderReference      string         `db:"order_reference"`
	DebtPence           int64          `db:"debt_pence"`
	Stage               string         `db:"stage"`
	Status              string         `db:"status"`
	ReferredAt          time.Time      `db:"referred_at"`
	Schedule            []byte         `db:"schedule"`
	Notice              []byte         `db:"notice"`
	ControlLimit        string         `db:"control_limit"`
	Fees                []byte         `db:"fees"`
	Visits              []byte         `db:"visits"`
	GoodsControlled     []byte         `db:"goods_controlled"`
	SaleNotice          []byte         `db:"sale_notice"`
	Arrangement         []byte         `db:"arrangement"`
	ArrangementReviews  []byte         `db:"arrangement_reviews"`
	NextInstalmentCheck sql.NullString `db:"next_instalment_check"`
	Vulnerabilities     []byte         `db:"vulnerabilities"`
	Returned            []byte         `db:"returned"`
	ClosedAt            sql.NullTime   `db:"closed_at"`
	RetentionDue        sql.NullString `db:"retention_due"`
	LegalHold           []byte         `db:"legal_hold"`
	ErasedAt            sql.NullTime   `db:"erased_at"`
	Version             int            `db:"version"`
}

type personalRow struct {
	DebtorNames           pq.StringArray `db:"debtor_names"`
	Address               string         `db:"address"`
	Phone                 string         `db:"phone"`
	Email                 string         `db:"email"`
	Gender                string         `db:"gender"`
	Employment            string         `db:"employment"`
	VehicleRegistration   string         `db:"vehicle_registration"`
	FinancialInformation  string         `db:"financial_information"`
	ReportedVulnerability string         `db:"reported_vulnerability"`
	// Whose each of the case's vulnerabilities is and its nature, in the order of the case's
	// vulnerabilities ([]vulnerabilityNatureDoc).
	VulnerabilityNatures []byte `db:"vulnerability_natures"`
	// Whose the client's reported vulnerability is (a position in debtor_names from 1), NULL
	// when not known.
	ReportedVulnerableDebtor sql.NullInt32 `db:"reported_vulnerable_debtor"`
	// The officers' reasons for their decisions on breached arrangements, in the order of
	// the case's arrangement_reviews.
	ArrangementReviewReasons pq.StringArray `db:"arrangement_review_reasons"`
}

// position is a debtor's position (from 1) as a column, NULL for 0 (not known).
func position(n int) sql.NullInt32 { return sql.NullInt32{Int32: int32(n), Valid: n > 0} }

type paymentRow struct {
	ID                 string    `json:"id"`
	ReceivedAt         time.Time `json:"received_at"`
	Source             string    `json:"source"`
	AmountPence        int64     `json:"amount_pence"`
	ToDebtPence        int64     `json:"to_debt_pence"`
	ToCompliancePence  int64     `json:"to_compliance_pence"`
	ToEnforcementPence int64     `json:"to_enforcement_pence"`
	ToSalePence        int64     `json:"to_sale_pence"`
	RefundPence        int64     `json:"refund_pence"`
	Rule               string    `json:"rule"`
	RecordedBy         string    `json:"recorded_by"`
}

type consentRow struct {
	Debtor      int        `json:"debtor"` // who gave it; null (not known) reads as 0
	Recipient   string     `json:"recipient"`
	GivenAt     time.Time  `json:"given_at"`
	RecordedBy  string     `json:"recorded_by"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
}

type necessityRow struct {
	DisclosureID string    `json:"disclosure_id"`
	Debtor       int       `json:"debtor"` // null (not known) reads as 0
	Recipient    string    `json:"recipient"`
	FoundBy      string    `json:"found_by"`
	FoundAt      time.Time `json:"found_at"`
	Reason       string    `json:"reason"`
}

type scheduleDoc struct {
	Schedule domain.FeeSchedule `json:"schedule"`
	ChosenOn calendar.Date      `json:"chosen_on"`
	How      string             `json:"how"`
}

type noticeDoc struct {
	IssuedAt        time.Time         `json:"issued_at"`
	EarliestControl calendar.Deadline `json:"earliest_control"`
	ControlLimit    calendar.Deadline `json:"control_limit"`
}

type feeDoc struct {
	Stage             string    `json:"stage"`
	ScheduleID        string    `json:"schedule_id"`
	SumToRecoverPence int64     `json:"sum_to_recover_pence"`
	FixedPence        int64     `json:"fixed_pence"`
	PercentPence      int64     `json:"percent_pence"`
	TotalPence        int64     `json:"total_pence"`
	ChargedAt         time.Time `json:"charged_at"`
	Recoverable       bool      `json:"recoverable"`
	NotRecoverable    string    `json:"not_recoverable,omitempty"`
	PaidPence         int64     `json:"paid_pence"`
}

type visitDoc struct {
	N             int       `json:"n"`
	At            time.Time `json:"at"`
	Agent         string    `json:"agent"`
	Outcome       string    `json:"outcome"`
	BodyWornVideo string    `json:"body_worn_video"`
	Exception     string    `json:"exception,omitempty"`
	Purpose       string    `json:"purpose,omitempty"`
}

type goodsDoc struct {
	At  time.Time `json:"at"`
	How string    `json:"how"`
	By  string    `json:"by"`
}

type saleDoc struct {
	IssuedAt     time.Time         `json:"issued_at"`
	EarliestSale calendar.Deadline `json:"earliest_sale"`
	SoldAt       *time.Time        `json:"sold_at,omitempty"`
}

type instalmentDoc struct {
	N           int           `json:"n"`
	DueDate     calendar.Date `json:"due_date"`
	AmountPence int64         `json:"amount_pence"`
	MissedAt    *time.Time    `json:"missed_at,omitempty"`
}

type arrangementDoc struct {
	MadeAt      time.Time       `json:"made_at"`
	MadeBy      string          `json:"made_by"`
	Instalments []instalmentDoc `json:"instalments"`
	BreachedAt  *time.Time      `json:"breached_at,omitempty"` // awaiting an officer's review
	DefaultedAt *time.Time      `json:"defaulted_at,omitempty"`
	// The 12 months for taking control before the first miss began them again, and the
	// payments received before the arrangement but recorded after it (absent in arrangements
	// stored before they were kept).
	ControlLimitBefore *calendar.Deadline `json:"control_limit_before,omitempty"`
	EarlierPayments    []string           `json:"earlier_payments,omitempty"`
}

// reviewDoc is an officer's decision on a breached arrangement, without its reason (personal
// data: personalRow.ArrangementReviewReasons).
type reviewDoc struct {
	At                time.Time `json:"at"`
	By                string    `json:"by"`
	ArrangementMadeAt time.Time `json:"arrangement_made_at"`
	BreachedAt        time.Time `json:"breached_at"`
	Decision          string    `json:"decision"`
}

// vulnerabilityDoc is one debtor's vulnerability flag and its review, without whose it is
// or its nature (personal data: vulnerabilityNatureDoc).
type vulnerabilityDoc struct {
	FlaggedAt         time.Time  `json:"flagged_at"`
	FlaggedBy         string     `json:"flagged_by"`
	Acute             bool       `json:"acute"`
	ReviewedAt        *time.Time `json:"reviewed_at,omitempty"`
	ReviewedBy        string     `json:"reviewed_by,omitempty"`
	AdviceOpportunity bool       `json:"advice_opportunity"`
}

// vulnerabilityNatureDoc is whose a vulnerability is (a position in debtor_names from 1,
// null when not known) and its nature (special category data).
type vulnerabilityNatureDoc struct {
	Debtor *int   `json:"debtor"`
	Nature string `json:"nature"`
}

type returnDoc struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

type holdDoc struct {
	Reason string    `json:"reason"`
	SetAt  time.Time `json:"set_at"`
	SetBy  string    `json:"set_by"`
}

// loadedRow is one case with its personal data, payments and consents, read in one query.
type loadedRow struct {
	caseRow
	DebtorNames              pq.StringArray `db:"debtor_names"`
	Address                  sql.NullString `db:"address"`
	Phone                    sql.NullString `db:"phone"`
	Email                    sql.NullString `db:"email"`
	Gender                   sql.NullString `db:"gender"`
	Employment               sql.NullString `db:"employment"`
	VehicleRegistration      sql.NullString `db:"vehicle_registration"`
	FinancialInformation     sql.NullString `db:"financial_information"`
	ReportedVulnerability    sql.NullString `db:"reported_vulnerability"`
	VulnerabilityNatures     []byte         `db:"vulnerability_natures"`
	ReportedVulnerableDebtor sql.NullInt32  `db:"reported_vulnerable_debtor"`
	ArrangementReviewReasons pq.StringArray `db:"arrangement_review_reasons"`
	Payments                 []byte         `db:"payments"`
	Consents                 []byte         `db:"consents"`
	Necessity                []byte         `db:"necessity"`
}

// decode reads a JSONB document into dst unless the column is NULL.
func decode(raw []byte, dst any, what, id string) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("%s of case %s: %w", what, id, err)
	}
	return nil
}

func (r loadedRow) toDomain() (*domain.Case, error) {
	c := &domain.Case{ID: r.ID, Reference: r.Reference, ClientID: r.ClientID, ClientReference: r.ClientReference,
		DebtType: r.DebtType, DebtPence: r.DebtPence, Stage: domain.Stage(r.Stage), Status: domain.Status(r.Status),
		ReferredAt: r.ReferredAt.UTC(), Version: r.Version,
		Debtor: domain.Debtor{Names: []string(r.DebtorNames), Address: r.Address.String, Phone: r.Phone.String, Email: r.Email.String,
			Gender: r.Gender.String, Employment: r.Employment.String, VehicleRegistration: r.VehicleRegistration.String,
			FinancialInformation: r.FinancialInformation.String, ReportedVulnerability: r.ReportedVulnerability.String,
			ReportedVulnerableDebtor: int(r.ReportedVulnerableDebtor.Int32)}}
	var err error
	if c.Order.Date, err = calendar.ParseDate(r.OrderDate[:10]); err != nil {
		return nil, fmt.Errorf("order_date of %s: %w", r.ID, err)
	}
	c.Order.Kind, c.Order.Reference = r.OrderKind, r.OrderReference
	var (
		sched    scheduleDoc
		notice   noticeDoc
		fees     []feeDoc
		visits   []visitDoc
		goods    *goodsDoc
		sale     *saleDoc
		arr      *arrangementDoc
		reviews  []reviewDoc
		vulns    []vulnerabilityDoc
		natures  []vulnerabilityNatureDoc
		ret      *returnDoc
		hold     *holdDoc
		payments []paymentRow
		consents []consentRow
		findings []necessityRow
	)
	for _, d := range []struct {
		raw  []byte
		dst  any
		what string
	}{{r.Schedule, &sched, "schedule"}, {r.Notice, &notice, "notice"}, {r.Fees, &fees, "fees"}, {r.Visits, &visits, "visits"},
		{r.GoodsControlled, &goods, "goods"}, {r.SaleNotice, &sale, "sale notice"}, {r.Arrangement, &arr, "arrangement"}, {r.ArrangementReviews, &reviews, "arrangement reviews"},
		{r.Vulnerabilities, &vulns, "vulnerabilities"}, {r.VulnerabilityNatures, &natures, "vulnerability natures"}, {r.Returned, &ret, "return"}, {r.LegalHold, &hold, "legal hold"},
		{r.Payments, &payments, "payments"}, {r.Consents, &consents, "consents"}, {r.Necessity, &findings, "necessity findings"}} {
		if err := decode(d.raw, d.dst, d.what, r.ID); err != nil {
			return nil, err
		}
	}
	c.Schedule = domain.ScheduleChoice{Schedule: sched.Schedule, ChosenOn: sched.ChosenOn, How: sched.How}
	c.Notice = domain.NoticeOfEnforcement{IssuedAt: notice.IssuedAt.UTC(), EarliestControl: notice.EarliestControl, ControlLimit: notice.ControlLimit}
	for _, f := range fees {
		c.Fees = append(c.Fees, domain.Fee{Stage: domain.Stage(f.Stage), ScheduleID: f.ScheduleID, SumToRecoverPence: f.SumToRecoverPence,
			FixedPence: f.FixedPence, PercentPence: f.PercentPence, TotalPence: f.TotalPence, ChargedAt: f.ChargedAt.UTC(),
			Recoverable: f.Recoverable, NotRecoverable: f.NotRecoverable, PaidPence: f.PaidPence})
	}
	for _, v := range visits {
		c.Visits = append(c.Visits, domain.Visit{N: v.N, At: v.At.UTC(), Agent: v.Agent, Outcome: v.Outcome, BodyWornVideo: v.BodyWornVideo, Exception: v.Exception, Purpose: v.Purpose})
	}
	if goods != nil {
		c.GoodsControlled = &domain.GoodsControl{At: goods.At.UTC(), How: goods.How, By: goods.By}
	}
	if sale != nil {
		c.SaleNotice = &domain.SaleNotice{IssuedAt: sale.IssuedAt.UTC(), EarliestSale: sale.EarliestSale, SoldAt: postgres.UTCPtr(sale.SoldAt)}
	}
	if arr != nil {
		a := &domain.Arrangement{MadeAt: arr.MadeAt.UTC(), MadeBy: arr.MadeBy, BreachedAt: postgres.UTCPtr(arr.BreachedAt), DefaultedAt: postgres.UTCPtr(arr.DefaultedAt),
			ControlLimitBefore: arr.ControlLimitBefore, EarlierPayments: arr.EarlierPayments}
		for _, in := range arr.Instalments {
			a.Instalments = append(a.Instalments, domain.Instalment{N: in.N, DueDate: in.DueDate, AmountPence: in.AmountPence, MissedAt: postgres.UTCPtr(in.MissedAt)})
		}
		c.Arrangement = a
	}
	for i, rv := range reviews {
		review := domain.ArrangementReview{At: rv.At.UTC(), By: rv.By, ArrangementMadeAt: rv.ArrangementMadeAt.UTC(), BreachedAt: rv.BreachedAt.UTC(), Decision: rv.Decision}
		if i < len(r.ArrangementReviewReasons) { // none once the personal data was erased
			review.Reason = r.ArrangementReviewReasons[i]
		}
		c.ArrangementReviews = append(c.ArrangementReviews, review)
	}
	for i, v := range vulns {
		vu := domain.Vulnerability{FlaggedAt: v.FlaggedAt.UTC(), FlaggedBy: v.FlaggedBy, Acute: v.Acute,
			ReviewedAt: postgres.UTCPtr(v.ReviewedAt), ReviewedBy: v.ReviewedBy, AdviceOpportunity: v.AdviceOpportunity}
		if i < len(natures) { // none once the personal data was erased
			vu.Nature = natures[i].Nature
			if d := natures[i].Debtor; d != nil {
				vu.Debtor = *d
			}
		}
		c.Vulnerabilities = append(c.Vulnerabilities, vu)
	}
	if ret != nil {
		c.Returned = &domain.Return{Reason: ret.Reason, At: ret.At.UTC(), By: ret.By}
	}
	if hold != nil {
		c.LegalHold = &domain.LegalHold{Reason: hold.Reason, SetAt: hold.SetAt.UTC(), SetBy: hold.SetBy}
	}
	for _, p := range payments {
		c.Payments = append(c.Payments, domain.Payment{ID: p.ID, ReceivedAt: p.ReceivedAt.UTC(), AmountPence: p.AmountPence, Source: p.Source,
			ToDebtPence: p.ToDebtPence, RefundPence: p.RefundPence, Rule: p.Rule, RecordedBy: p.RecordedBy,
			ToFeesPence: map[domain.Stage]int64{domain.StageCompliance: p.ToCompliancePence, domain.StageEnforcement: p.ToEnforcementPence, domain.StageSale: p.ToSalePence}})
	}
	for _, k := range consents {
		c.Consents = append(c.Consents, domain.Consent{Debtor: k.Debtor, Recipient: k.Recipient, GivenAt: k.GivenAt.UTC(), RecordedBy: k.RecordedBy,
			WithdrawnAt: postgres.UTCPtr(k.WithdrawnAt)})
	}
	for _, f := range findings {
		c.NecessityFindings = append(c.NecessityFindings, domain.NecessityFinding{DisclosureID: f.DisclosureID, Debtor: f.Debtor, Recipient: f.Recipient,
			FoundBy: f.FoundBy, FoundAt: f.FoundAt.UTC(), Reason: f.Reason})
	}
	c.ClosedAt, c.ErasedAt = postgres.TimePtr(r.ClosedAt), postgres.TimePtr(r.ErasedAt)
	if r.RetentionDue.Valid {
		if c.RetentionDue, err = calendar.ParseDate(r.RetentionDue.String[:10]); err != nil {
			return nil, fmt.Errorf("retention_due of %s: %w", r.ID, err)
		}
	}
	return c, nil
}

// rowsFromDomain is the case as rows; the JSONB documents are marshalled here.
func rowsFromDomain(c *domain.Case) (caseRow, personalRow) {
	cr := caseRow{ID: c.ID, Reference: c.Reference, ClientID: c.ClientID, ClientReference: c.ClientReference, DebtType: c.DebtType,
		OrderKind: c.Order.Kind, OrderDate: c.Order.Date.String(), OrderReference: c.Order.Reference, DebtPence: c.DebtPence,
		Stage: string(c.Stage), Status: string(c.Status), ReferredAt: c.ReferredAt, ControlLimit: c.Notice.ControlLimit.DueDate.String(),
		ClosedAt: postgres.NullTime(c.ClosedAt), ErasedAt: postgres.NullTime(c.ErasedAt), Version: c.Version}
	cr.Schedule = jsonOf(scheduleDoc{Schedule: c.Schedule.Schedule, ChosenOn: c.Schedule.ChosenOn, How: c.Schedule.How})
	cr.Notice = jsonOf(noticeDoc{IssuedAt: c.Notice.IssuedAt, EarliestControl: c.Notice.EarliestControl, ControlLimit: c.Notice.ControlLimit})
	fees := make([]feeDoc, len(c.Fees))
	for i, f := range c.Fees {
		fees[i] = feeDoc{Stage: string(f.Stage), ScheduleID: f.ScheduleID, SumToRecoverPence: f.SumToRecoverPence, FixedPence: f.FixedPence,
			PercentPence: f.PercentPence, TotalPence: f.TotalPence, ChargedAt: f.ChargedAt, Recoverable: f.Recoverable,
			NotRecoverable: f.NotRecoverable, PaidPence: f.PaidPence}
	}
	cr.Fees = jsonOf(fees)
	visits := make([]visitDoc, len(c.Visits))
	for i, v := range c.Visits {
		visits[i] = visitDoc{N: v.N, At: v.At, Agent: v.Agent, Outcome: v.Outcome, BodyWornVideo: v.BodyWornVideo, Exception: v.Exception, Purpose: v.Purpose}
	}
	cr.Visits = jsonOf(visits)
	if g := c.GoodsControlled; g != nil {
		cr.GoodsControlled = jsonOf(goodsDoc{At: g.At, How: g.How, By: g.By})
	}
	if s := c.SaleNotice; s != nil {
		cr.SaleNotice = jsonOf(saleDoc{IssuedAt: s.IssuedAt, EarliestSale: s.EarliestSale, SoldAt: s.SoldAt})
	}
	if a := c.Arrangement; a != nil {
		doc := arrangementDoc{MadeAt: a.MadeAt, MadeBy: a.MadeBy, BreachedAt: a.BreachedAt, DefaultedAt: a.DefaultedAt,
			ControlLimitBefore: a.ControlLimitBefore, EarlierPayments: a.EarlierPayments}
		for _, in := range a.Instalments {
			doc.Instalments = append(doc.Instalments, instalmentDoc{N: in.N, DueDate: in.DueDate, AmountPence: in.AmountPence, MissedAt: in.MissedAt})
		}
		cr.Arrangement = jsonOf(doc)
	}
	reviews := []reviewDoc{}
	for _, rv := range c.ArrangementReviews {
		reviews = append(reviews, reviewDoc{At: rv.At, By: rv.By, ArrangementMadeAt: rv.ArrangementMadeAt, BreachedAt: rv.BreachedAt, Decision: rv.Decision})
	}
	cr.ArrangementReviews = jsonOf(reviews)
	if next := c.NextInstalmentCheck(); !next.IsZero() {
		cr.NextInstalmentCheck = sql.NullString{String: next.String(), Valid: true}
	}
	vulns, natures := []vulnerabilityDoc{}, []vulnerabilityNatureDoc{}
	for _, v := range c.Vulnerabilities {
		vulns = append(vulns, vulnerabilityDoc{FlaggedAt: v.FlaggedAt, FlaggedBy: v.FlaggedBy, Acute: v.Acute, ReviewedAt: v.ReviewedAt,
			ReviewedBy: v.ReviewedBy, AdviceOpportunity: v.AdviceOpportunity})
		doc := vulnerabilityNatureDoc{Nature: v.Nature}
		if v.Debtor > 0 {
			debtor := v.Debtor
			doc.Debtor = &debtor
		}
		natures = append(natures, doc)
	}
	cr.Vulnerabilities = jsonOf(vulns)
	if r := c.Returned; r != nil {
		cr.Returned = jsonOf(returnDoc{Reason: r.Reason, At: r.At, By: r.By})
	}
	if h := c.LegalHold; h != nil {
		cr.LegalHold = jsonOf(holdDoc{Reason: h.Reason, SetAt: h.SetAt, SetBy: h.SetBy})
	}
	if !c.RetentionDue.IsZero() {
		cr.RetentionDue = sql.NullString{String: c.RetentionDue.String(), Valid: true}
	}
	d := c.Debtor
	pr := personalRow{DebtorNames: append(pq.StringArray{}, d.Names...), Address: d.Address, Phone: d.Phone, Email: d.Email, Gender: d.Gender,
		Employment: d.Employment, VehicleRegistration: d.VehicleRegistration, FinancialInformation: d.FinancialInformation,
		ReportedVulnerability: d.ReportedVulnerability, VulnerabilityNatures: jsonOf(natures),
		ReportedVulnerableDebtor: position(d.ReportedVulnerableDebtor), ArrangementReviewReasons: pq.StringArray{}}
	for _, rv := range c.ArrangementReviews {
		pr.ArrangementReviewReasons = append(pr.ArrangementReviewReasons, rv.Reason)
	}
	return cr, pr
}

func paymentRowOf(p domain.Payment) paymentRow {
	return paymentRow{ID: p.ID, ReceivedAt: p.ReceivedAt, Source: p.Source, AmountPence: p.AmountPence, ToDebtPence: p.ToDebtPence,
		ToCompliancePence: p.ToFeesPence[domain.StageCompliance], ToEnforcementPence: p.ToFeesPence[domain.StageEnforcement],
		ToSalePence: p.ToFeesPence[domain.StageSale], RefundPence: p.RefundPence, Rule: p.Rule, RecordedBy: p.RecordedBy}
}

func jsonOf(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only our own plain structs reach here
	}
	return b
}
