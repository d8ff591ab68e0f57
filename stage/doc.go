// Package stage gives an API versioned, immutable deployments, named
// stages that switch between them atomically, stage variables and their
// ${stageVariables.name} substitution, canary releases, rollback, and
// custom domain names with base-path mappings — the stage model of a
// managed API gateway.
//
// The package is generic over what is deployed: the gateway instantiates
// it with its compiled API type, and stage knows nothing of the gateway.
//
// # Deployments
//
// A [Deployment] is an immutable snapshot of what was deployed, with a
// random ID ("k3v9q0x2ma"), a description and a creation time. A
// [History] keeps every deployment of one API, oldest first; nothing is
// ever removed from it, so any earlier deployment can be served again.
//
// # Stages
//
// A [Stage] ("prod", "beta", "$default") points at one [State] at a time:
// a deployment, the stage's [Variables], and an optional [Canary]. A State
// is made, and validated, by [NewState] and never changes afterwards. To
// deploy, roll back, or change a variable or the canary, make a new State
// and [Stage.Store] it. Store is a single atomic pointer swap: a request
// calls [Stage.Load] once, then finishes on the State it loaded even if the
// stage switches meanwhile, so a deployment never serves half a request.
// Rolling back is storing a State made from an earlier deployment of the
// History.
//
// # Canary releases
//
// A [Canary] sends Percent (0 to 100, fractions allowed) of the stage's
// requests to another deployment, with the stage's variables overridden
// by the canary's own. [State.Pick] makes the choice for one request from
// a random number the caller passes in, so tests can be deterministic;
// the canary's merged variables are computed once, by NewState, and Pick
// allocates nothing. To promote a canary, Store a State whose deployment
// is the canary's and whose variables are the merged ones; to abandon it,
// Store a State without one.
//
// # Stage variables
//
// [Variables] follow the managed service's rules: names of [A-Za-z0-9_],
// values of letters, digits and -._~:/?#&=, (never empty). A [Template]
// is a string with ${stageVariables.name} references, such as an
// integration URL "https://${stageVariables.host}/pets". [ParseTemplate]
// parses it once, when an API is built, and reports malformed references
// with their offset. [Template.Missing] checks a template against a
// stage's variables when the API is bound to the stage, and
// [Template.Expand] substitutes the values; a template with no
// references expands to itself without allocating.
//
// # Custom domains
//
// [Domains] maps a request's host and path to a target, as custom domain
// names with base-path mappings do: "api.example.com" with base path "v1"
// sends https://api.example.com/v1/pets to its target with the rest of the
// path "/pets". Exact domains beat wildcards ("*.example.com"), and the
// longest base path wins, on whole segments only. [Domains.Lookup]
// compares hosts without regard to case, ignores ports, and allocates
// nothing.
//
// # Concurrency
//
// [History] is safe for concurrent use (one mutex). A [Stage] is safe for
// concurrent use and lock-free: Load and Store are atomic operations on
// one pointer, and Store replaces whatever the stage serves (the last
// Store wins). A [State], a [Deployment] and a
// [Template] are immutable, so any number of requests may share them.
// [Domains] is built with Add, which is not safe for concurrent use, and
// is read-only afterwards: Lookup is then safe for concurrent use. To
// change a running gateway's domains, build a new Domains and swap it in
// atomically.
package stage
