// Package java generates the Java SDKs: one for Java 11 and later on
// java.net.http, and one for Android on HttpURLConnection (Java 8
// language level, no java.net.http, no records).
//
// Both are one package of plain classes with no dependencies: a client
// with a builder, a model class per model, an options class per operation
// with optional parameters, an exception (a checked IOException, as the
// failures to reach the API are), and small JSON and SigV4 classes of
// their own, the JDK having no JSON. The templates are in templates/;
// this package works out the names, types and expressions they print.
//
// # Names
//
// Names are recased (PetstoreClient, getPet, SearchPetsOptions) and a
// reserved one gets "_" appended: Java's keywords, java.lang's classes
// and the imported ones for classes, Object's methods and the client's
// own for methods, the locals of a client method for parameters. Two
// names that become one identifier are an error.
package java
