// Package sdkgen generates client SDKs for the APIs a gatekit gateway
// serves, as the managed service's get-sdk does, in JavaScript (an ES
// module with TypeScript declarations), Java, Java for Android, Swift,
// Objective-C, Ruby, Python and Go.
//
// An SDK is generated from an OpenAPI document: one exported from a stage
// with package [openapi] (or [GenerateStage], which does both), or any
// OpenAPI 3.0 or Swagger 2.0 document read with [openapi.Load]. Every SDK
// has:
//
//   - a client whose endpoint and stage default to the document's server
//     and can be changed;
//   - one method per operation, named after its operationId, with the
//     required path, query-string and header parameters as typed
//     arguments and the optional ones as options;
//   - a type per model (object schema), for bodies and results;
//   - an API-key setting (the x-api-key header), a bearer-token setting
//     for JWT authorizers, and AWS Signature Version 4 signing from
//     credentials (access key, secret, optional session token, region),
//     written in the SDK's own language;
//   - an error type carrying the status, the body and its message;
//   - a README.
//
// Names that clash in a language (two parameters "pet-id" and "pet_id"
// of one operation both become petId in Java) are errors naming the
// place, as are references that do not resolve.
//
// [Generate] returns the files as an [io/fs.FS]: write them with
// [os.CopyFS], or as a zip archive with [Zip]. [Handler] serves SDKs and
// exports over HTTP, and the command gatekit-sdkgen
// (cmd/gatekit-sdkgen) generates one from a file.
package sdkgen
