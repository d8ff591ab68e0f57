# frozen_string_literal: true

# Checks the SDK generated from the unit tests' API (petstore on the load
# path): SigV4 signatures against the AWS test suite in the directory
# ARGV[0] (if it exists), models, errors, and the requests the client sends
# to the echo server at ARGV[1]. Prints "ok ..." for each check.

require "petstore"

def check(ok, what)
  abort("FAIL #{what}") unless ok
end

def sigv4_suite(root)
  time = Time.utc(2015, 8, 30, 12, 36)
  checked = 0
  Dir.glob(File.join(root, "**", "*.req")).sort.each do |file|
    raw = File.binread(file).force_encoding(Encoding::UTF_8)
    want = File.binread(file.sub(/\.req\z/, ".authz"))
    head, body = raw.split("\n\n", 2)
    line, *header_lines = head.split("\n")
    method, rest = line.split(" ", 2)
    target = rest.sub(%r{ HTTP/\S+\z}, "")
    headers = header_lines.select { |h| h.include?(":") }.to_h { |h| h.split(":", 2) }
    token = headers["X-Amz-Security-Token"]
    signed = "host;x-amz-date#{";x-amz-security-token" if token}"
    next unless want.include?("SignedHeaders=#{signed},")
    next unless (headers.keys - %w[Host X-Amz-Date X-Amz-Security-Token]).empty?

    path, query = target.split("?", 2)
    credentials = Petstore::Credentials.new(access_key_id: "AKIDEXAMPLE",
                                            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                            session_token: token)
    got = Petstore::SigV4.sign(method: method, host: headers["Host"], path: path, query: query.to_s,
                               body: body.to_s, credentials: credentials, region: "us-east-1",
                               service: "service", time: time)
    check(got["Authorization"] == want, "sigv4 #{file}:\n got #{got["Authorization"]}\nwant #{want}")
    checked += 1
  end
  check(checked >= 15, "sigv4: only #{checked} cases checked")
  puts "ok sigv4 #{checked}"
end

def models
  data = { "id" => 1, "name" => "Fido", "type" => "dog", "owner" => { "name" => "Ann", "from" => "Oslo" } }
  pet = Petstore::Pet.from_h(data)
  want = Petstore::Pet.new(id: 1, name: "Fido", type: "dog", owner: Petstore::Owner.new(name: "Ann", from: "Oslo"))
  check(pet == want, "models: #{pet.inspect}")
  check(pet.to_h == data, "models: #{pet.to_h}")
  check(JSON.parse(pet.to_json) == data, "models: #{pet.to_json}")
  check(Petstore::NewPet.new(name: "Rex").to_h == { "name" => "Rex" }, "models: NewPet")
  found = Petstore::SearchResult.from_h({ "pets" => [data], "searchedAt" => "2024-01-01T00:00:00Z" })
  check(found.pets == [pet] && found.type.nil?, "models: #{found.inspect}")
  check(found.to_h == { "pets" => [data], "searchedAt" => "2024-01-01T00:00:00Z" }, "models: #{found.to_h}")
  check(Petstore::Pet.from_h(nil).nil?, "models: from_h(nil)")
  puts "ok models"
end

def errors
  e = Petstore::ApiError.new(404, '{"message": "no such pet"}')
  check(e.status == 404 && e.message == "no such pet" && e.is_a?(StandardError), "errors: #{e.inspect}")
  ["", "oops", "[1]", '{"message": 1}', "\xff".b].each do |body|
    e = Petstore::ApiError.new(500, body)
    check(e.message == "HTTP 500" && e.body == body, "errors: #{body.inspect}: #{e.message}")
  end
  puts "ok errors"
end

def requests(url)
  credentials = Petstore::Credentials.new(access_key_id: "AKID", secret_access_key: "secret", session_token: "tok")
  check(!credentials.inspect.include?("secret"), "credentials.inspect shows the secret")
  endpoint = "#{url}/"
  client = Petstore::Client.new(endpoint: endpoint, stage: "prod", api_key: "key", bearer_token: "token",
                                credentials: credentials)

  seen = client.find_pets("a b/c", 2, tag: ["x", "y&z"])
  want = { "seen" => [Petstore::Pet.new(id: 1, name: "/prod/find/a%20b%2Fc?limit=2&tag=x&tag=y%26z", type: "GET")] }
  check(seen == want, "find_pets: #{seen.inspect}")

  echo = client.inventory("PUT", "a b/c.txt", body: { "n" => 1 })
  check(echo["method"] == "PUT" && echo["path"] == "/prod/inventory/a%20b/c.txt", "inventory: #{echo}")
  check(JSON.parse(echo["body"]) == { "n" => 1 }, "inventory: #{echo}")
  check(echo["headers"]["x-api-key"] == "key" && !echo["headers"].key?("authorization"), "inventory: #{echo}")

  begin
    client.get_pet(99)
    check(false, "get_pet(99) did not raise")
  rescue Petstore::ApiError => e
    check(e.status == 404 && e.message == "no such pet", "get_pet(99): #{e.message}")
  end

  check(client.reset.nil?, "reset")

  client = Petstore::Client.new(endpoint: url, stage: "", bearer_token: "token", credentials: credentials)
  echo = client.get_stats
  check(echo["path"] == "/admin/stats", "get_stats: #{echo}")
  check(echo["headers"]["authorization"] == "Bearer token" && !echo["headers"].key?("x-api-key"), "get_stats: #{echo}")
  pet = client.create_signed_pet(Petstore::NewPet.new(name: "Sig"))
  check(pet.name.start_with?("AWS4-HMAC-SHA256 Credential=AKID/") && pet.type == "tok", "create_signed_pet: #{pet.inspect}")
  check(client.health == "ok\n", "health")
  puts "ok requests"
end

sigv4_suite(ARGV[0]) if File.directory?(ARGV[0])
models
errors
requests(ARGV[1])
