package com.example.petstore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tests the runtime of the SDK that java_test.go generates from its petstore spec: the JSON
 * reader and writer, the SigV4 signer against vectors of the AWS SigV4 test suite, and what the
 * client sends and how it reads answers, against a local HTTP server. It lives in the SDK's
 * package to reach Json and SigV4. Run it with "android" or "java" (the flavour); it prints
 * "harness: ok" or throws.
 */
final class Harness {
    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        boolean android = args[0].equals("android");
        json();
        sigV4();
        client(android);
        System.out.println("harness: ok");
    }

    static void json() {
        String text = "{\"a\":[1,2.5,-0,1E3,\"x\\u00e9\\n\\\"\",true,false,null],\"b\":{},\"c\":[]}";
        Object value = Json.parse(text);
        equal(Json.write(value), "{\"a\":[1,2.5,0,1000.0,\"x\u00e9\\n\\\"\",true,false,null],\"b\":{},\"c\":[]}");
        equal(Json.parse(Json.write(value)), value);
        equal(Json.parse(" 1 "), 1L);
        equal(Json.parse("1.0"), 1.0);
        equal(Json.parse("12345678901234567890"), 1.2345678901234567e19);
        equal(Json.parse("\"\\ud83d\\ude00\""), "\ud83d\ude00");
        equal(Json.write("\u0001\t/"), "\"\\u0001\\t/\"");
        equal(Json.int64(3.0), 3L);
        equal(Json.int32(7L), 7);
        equal(Json.number(2L), 2.0);
        equal(Json.list(Json.parse("[[1],[2,3]]"), Json.listOf(Json::int64)),
                Arrays.asList(Arrays.asList(1L), Arrays.asList(2L, 3L)));
        for (String bad : new String[] {
            "", "{", "[1,]", "01", "-", "1.", "1e", "\"\\x\"", "\"\\u12g4\"", "tru", "1 2", "{1:2}",
            "\"\u0001\"", "[" + repeat("[", 600) + repeat("]", 601),
        }) {
            try {
                Json.parse(bad);
                throw new AssertionError("parsed " + bad);
            } catch (IllegalArgumentException expected) {
                // refused, as it should be
            }
        }
        for (Runnable bad : new Runnable[] {
            () -> Json.write(Double.NaN),
            () -> Json.write(new Object()),
            () -> Json.int64(2.5),
            () -> Json.int32(1L << 40),
            () -> Json.string(1L),
            () -> Json.list("x", Json::string),
        }) {
            try {
                bad.run();
                throw new AssertionError("no exception");
            } catch (IllegalArgumentException expected) {
                // refused, as it should be
            }
        }
    }

    /** Vectors of the AWS SigV4 test suite (aws-sig-v4-test-suite, Apache-2.0). */
    static void sigV4() {
        long time = 1440938160000L; // 20150830T123600Z
        String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        SigV4 signer = new SigV4("AKIDEXAMPLE", secret, null, "us-east-1", "service");
        String prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=";
        String host = "example.amazonaws.com";
        byte[] none = new byte[0];
        // get-vanilla, and normalize-path/get-slash-dot-slash and get-relative-relative.
        for (String path : new String[] {"/", "/./", "/example1/example2/../.."}) {
            equal(signer.sign("GET", host, path, "", none, time).get("Authorization"),
                    prefix + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        }
        equal(signer.sign("GET", host, "/", "", none, time).get("X-Amz-Date"), "20150830T123600Z");
        // get-vanilla-query-order-key-case
        equal(signer.sign("GET", host, "/", "Param2=value2&Param1=value1", none, time).get("Authorization"),
                prefix + "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
        // get-vanilla-utf8-query, its query percent-encoded as sent
        equal(signer.sign("GET", host, "/", "%E1%88%B4=bar", none, time).get("Authorization"),
                prefix + "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
        // post-sts-token/post-sts-header-before
        String token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMic"
                + "RXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0K"
                + "PkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz"
                + "+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
        Map<String, String> sts = new SigV4("AKIDEXAMPLE", secret, token, "us-east-1", "service")
                .sign("POST", host, "/", "", none, time);
        equal(sts.get("X-Amz-Security-Token"), token);
        equal(sts.get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                + "aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, "
                + "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
        // The path as sent is encoded once more; slashes stay.
        equal(SigV4.uriEncode("/a b/%20/ሴ", true), "/a%20b/%2520/%E1%88%B4");
        equal(SigV4.normalize("/a/./b//"), "/a/b/");
    }

    /** What the server saw of the last request. */
    static final class Seen {
        String method;
        String path;
        String query;
        Map<String, String> headers = new LinkedHashMap<>();
        String body;
    }

    static void client(boolean android) throws Exception {
        Seen seen = new Seen();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, seen));
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            PetstoreClient client = PetstoreClient.builder()
                    .endpoint(endpoint + "/")
                    .apiKey("key")
                    .bearerToken("jwt")
                    .credentials("AKID", "secret", "session")
                    .build();

            Pet pet = client.getPet(1);
            equal(seen.method, "GET");
            equal(seen.path, "/prod/pets/1");
            equal(seen.headers.get("x-api-key"), "key");
            equal(seen.headers.get("authorization"), null);
            equal(pet.getId(), 1L);
            equal(pet.getClass_(), "x");
            equal(pet.getTags().get("a"), "b");
            equal(pet.getFriends().get(0).get(0).getName(), "Tom");
            equal(Pet.fromJson(Json.parse(pet.toString())), pet);

            client.getOwner("a b/c?d");
            equal(seen.path, "/prod/owners/a%20b%2Fc%3Fd");

            client.inventory("GET", "x y/z", null);
            equal(seen.path, "/prod/inventory/x%20y/z");
            equal(seen.body, "");
            client.inventory("PATCH", "p", Collections.singletonMap("n", 1L));
            equal(seen.body, "{\"n\":1}");
            if (android) {
                equal(seen.method, "POST");
                equal(seen.headers.get("x-http-method-override"), "PATCH");
            } else {
                equal(seen.method, "PATCH");
            }

            List<String> tags = Arrays.asList("a", "b c");
            client.searchPets(new SearchPetsOptions().page(2).tag(tags).type("dog"));
            equal(seen.query, "page=2&tag=a&tag=b%20c&type=dog");
            equal(seen.headers.get("authorization"), "Bearer jwt");
            client.searchPets();
            equal(seen.query, null);

            client.deletePet(5, "why not");
            equal(seen.method, "DELETE");
            equal(seen.headers.get("x-reason"), "why not");

            client.createSignedPet(new NewPet("Rex"));
            equal(seen.method, "POST");
            equal(seen.body, "{\"name\":\"Rex\"}");
            equal(seen.headers.get("content-type"), "application/json");
            equal(seen.headers.get("x-amz-security-token"), "session");
            check(seen.headers.get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKID/"),
                    seen.headers.get("authorization"));
            check(seen.headers.get("authorization").contains("/local/execute-api/aws4_request, "
                    + "SignedHeaders=host;x-amz-date;x-amz-security-token, "), seen.headers.get("authorization"));

            equal(client.health(), "ok\n");
            equal(client.getVersion(new GetVersionOptions().xClientVersion("1.0")).getStage(), "prod");
            equal(seen.headers.get("x-client-version"), "1.0");

            refused(client, 99, 404, "no such pet", "{\"message\":\"no such pet\"}");
            refused(client, 500, 500, "HTTP 500", "<oops>");
            try {
                client.getPet(2);
                throw new AssertionError("getPet(2) did not throw");
            } catch (PetstoreException e) {
                throw new AssertionError("a 2xx answer threw " + e);
            } catch (IOException e) {
                check(e.getMessage().startsWith("unexpected answer: "), e.getMessage());
            }

            PetstoreClient bare = PetstoreClient.builder().endpoint(endpoint + "/base").stage("").build();
            bare.getPet(1);
            equal(seen.path, "/base/pets/1");
            equal(seen.headers.get("x-api-key"), null);
        } finally {
            server.stop(0);
        }
    }

    /** Checks that getPet(id) throws the PetstoreException of the answer's status, message and body. */
    static void refused(PetstoreClient client, long id, int status, String message, String body) throws IOException {
        try {
            client.getPet(id);
            throw new AssertionError("getPet(" + id + ") did not throw");
        } catch (PetstoreException e) {
            equal(e.getStatus(), status);
            equal(e.getMessage(), message);
            equal(e.getBody(), body);
        }
    }

    /** Records the request and answers it: by the path's end, an error, text, or a pet. */
    static void answer(HttpExchange exchange, Seen seen) throws IOException {
        seen.method = exchange.getRequestMethod();
        seen.path = exchange.getRequestURI().getRawPath();
        seen.query = exchange.getRequestURI().getRawQuery();
        seen.headers.clear();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            seen.headers.put(h.getKey().toLowerCase(), String.join(",", h.getValue()));
        }
        seen.body = new String(readAll(exchange.getRequestBody()), StandardCharsets.UTF_8);
        int status = 200;
        String type = "application/json";
        String body = "{\"id\":1,\"name\":\"Fido\",\"type\":\"dog\",\"class\":\"x\",\"tags\":{\"a\":\"b\"},"
                + "\"friends\":[[{\"id\":2,\"name\":\"Tom\",\"type\":\"cat\"}]],\"stage\":\"prod\"}";
        if (seen.path.endsWith("/99")) {
            status = 404;
            body = "{\"message\":\"no such pet\"}";
        } else if (seen.path.endsWith("/500")) {
            status = 500;
            type = "text/html";
            body = "<oops>";
        } else if (seen.path.endsWith("/2")) {
            body = "{\"id\":\"two\"}";
        } else if (seen.path.endsWith("/health")) {
            type = "text/plain";
            body = "ok\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static String repeat(String s, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(s);
        }
        return out.toString();
    }

    static void equal(Object got, Object want) {
        if (got == null ? want != null : !got.equals(want)) {
            throw new AssertionError("got " + got + ", want " + want);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
