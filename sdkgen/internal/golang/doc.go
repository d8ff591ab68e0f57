// Package golang generates the Go SDK of an API: a module with no
// dependencies outside the standard library.
//
// # Files
//
// go.mod (module cfg.Package, or example.com/{name}; go 1.22), README.md,
// and the package's files, each gofmt'd and importing only the standard
// packages it uses: doc.go (the package doc), client.go (Client,
// NewClient and its options, the request machinery), error.go
// (*APIError), models.go (a struct per model), operations.go (a method
// per operation, and its options struct) and sigv4.go (Credentials and
// the signer, when an operation needs SigV4). Helpers that no operation
// needs (escapeGreedy, joinValues, Ptr, WithBearerToken, ...) are left
// out.
//
// # Names
//
// Operations and fields are upper camel case with Go's initialisms in
// capitals (getPetById is GetPetByID), parameters lower camel case (petID).
// A name that starts with a digit gets the prefix X (x for parameters);
// a parameter that would be a keyword, a predeclared name, an imported
// package or a name the methods use gets the suffix "_", as does a model
// named like something the SDK declares (Client_). Names that two things
// would share are errors.
//
// # Types
//
// Required parameters are arguments of the method (path ones in path
// order, then query, then header ones); the optional ones are pointer (or
// slice) fields of its options struct, nil when not sent. A model body or
// result is a pointer to its struct. Optional model fields are pointers
// (slices, maps and any values as they are: nil is absent), all with
// omitempty; fields of a model type are always pointers, so that recursive
// models compile. A date-time string is a time.Time; int32 and float
// formats are int32 and float32.
package golang
