// Package notice loads a service's privacy notice written as YAML and answers
// the questions a service must ask before personal data moves: may this
// recipient receive this case for this purpose, which categories of data, on
// what condition, and for how long is each record kept.
//
// Nothing about any particular council or service is written in Go: every
// recipient, category, purpose, period and word of explanation comes from the
// notice file. The Go code holds only the fixed vocabularies the law supplies
// (lawful bases, sharing conditions, data subject rights, retention triggers).
//
// # Loading
//
// Load and LoadFile decode strictly (an unknown or misspelt key is an error),
// check every cross reference and return a *ValidationError naming the key
// path and line of each problem, so a malformed notice stops a service at
// start-up rather than at its first disclosure.
//
// # Deciding
//
// Decide evaluates the recipient's grants in this order, and the first failure
// is the refusal reason:
//
//  1. the recipient must be named in the notice;
//  2. the purpose must be a notice purpose (and the case type, scope and
//     occasion, when given, the notice's own); a purpose limited to an occasion
//     (only_on) goes on that occasion alone;
//  3. the purpose must be one the recipient is named for;
//  4. a grant for that purpose must cover the case type and the scope (stage);
//     a grant limited to both needs both;
//  5. the grant's condition must hold. Case-specific conditions (consent,
//     explicit_consent, complainant_request, crime_prevention, vital_interests,
//     recorded_necessity) hold only when the caller says the case records them
//     for this recipient or for the case as a whole. Standing conditions
//     (contract, legal_obligation, public_task) are established by the notice
//     itself, unless the grant sets record_required;
//  6. a grant limited to an occasion (only_on) goes on that occasion alone.
//
// A refusal for the occasion (2 or 6) sets Decision.Rule: the data may go, but
// not on this request.
//
// Categories are then released one by one. A category the satisfied grants do
// not list is withheld. A special category or criminal offence category is
// released only when the grant's special_condition is recorded as well;
// otherwise it is withheld and the remaining categories still go
// (Allowed=true, the special ones in Withheld, and the Reason says why). A
// category the recipient's withholding rules hold back, given the facts the
// case records (e.g. the complainant asked not to be identified), is withheld
// too. When nothing at all may go, Allowed is false.
//
// Decision.People lists whose data may go: the people the recipient may hear
// about (only_about), less anyone whose identifying category (identifies) is
// not released. The service leaves out everything about anyone else, and
// everything they supplied.
//
// The caller passes facts only (the case's area, stage, recorded conditions and
// facts, the occasion); who may receive what is the notice's alone, so a
// change of sharing is a change to the notice file.
//
// # Rendering
//
// Render writes the notice for the public from the same fields Decide reads,
// one sentence per grant stating every limit the engine applies;
// render_promises_test.go reads the rendered text back and compares it with
// Decide for every recipient.
package notice
