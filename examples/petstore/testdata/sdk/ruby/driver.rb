# frozen_string_literal: true

# Calls every operation of the pet store's prod stage through the generated
# Ruby SDK and checks the answers: it prints "ok NAME" for each operation,
# and exits non-zero on the first check that fails.

require "petstore"

def check(ok, what)
  abort("FAIL #{what}") unless ok
end

endpoint, _, stage = ENV.fetch("GATEKIT_BASE_URL").rpartition("/")
client = Petstore::Client.new(
  endpoint: endpoint,
  stage: stage,
  api_key: ENV.fetch("GATEKIT_API_KEY"),
  bearer_token: ENV.fetch("GATEKIT_TOKEN"),
  credentials: Petstore::Credentials.new(
    access_key_id: ENV.fetch("GATEKIT_ACCESS_KEY"),
    secret_access_key: ENV.fetch("GATEKIT_SECRET_KEY")
  ),
  region: ENV.fetch("GATEKIT_REGION")
)

pets = client.list_pets
check(pets.any? { |p| p.id == 1 && p.name == "Fido" && p.type == "dog" }, "listPets: #{pets.inspect}")
puts "ok listPets"

pet = client.get_pet(1)
check([pet.id, pet.name, pet.type] == [1, "Fido", "dog"], "getPet: #{pet.inspect}")
puts "ok getPet"

found = client.search_pets(type: "dog")
check(found.type == "dog" && !found.pets.to_a.empty?, "searchPets: #{found.inspect}")
check(found.pets.all? { |p| p.type == "dog" }, "searchPets: #{found.inspect}")
check(!found.searched_at.to_s.empty?, "searchPets: no searchedAt: #{found.inspect}")
puts "ok searchPets"

created = client.create_pet(Petstore::NewPet.new(name: "Ziggy", type: "lizard"))
check(created.id > 2 && created.name == "Ziggy" && created.type == "lizard", "createPet: #{created.inspect}")
check(client.get_pet(created.id) == created, "createPet: the new pet is not there")
puts "ok createPet"

owner = client.get_owner("bo #1/x")
check(owner["owner"] == "bo #1/x", "getOwner: #{owner.inspect}")
puts "ok getOwner"

stock = client.inventory("GET", "stock/kibble")
check(stock["item"] == "kibble" && stock["env"] == "prod", "inventory: #{stock.inspect}")
puts "ok inventory"

partner = client.list_partner_pets
check(partner.any? { |p| p.id == 1 && p.name == "Fido" }, "listPartnerPets: #{partner.inspect}")
begin
  Petstore::Client.new(endpoint: endpoint, stage: stage).list_partner_pets
  check(false, "listPartnerPets without an API key succeeded")
rescue Petstore::ApiError => e
  check([401, 403].include?(e.status), "listPartnerPets without an API key: #{e.status} #{e.message}")
end
puts "ok listPartnerPets"

signed = client.create_signed_pet(Petstore::NewPet.new(name: "Sig", type: "cat"))
check(signed.id > 2 && signed.name == "Sig", "createSignedPet: #{signed.inspect}")
puts "ok createSignedPet"

stats = client.get_stats
check(stats["pets"].is_a?(Numeric) && stats["pets"] >= 3, "getStats: #{stats.inspect}")
puts "ok getStats"

health = client.health
check(health == "ok\n", "health: #{health.inspect}")
puts "ok health"

version = client.get_version(x_client_version: "ruby-test")
check(version.stage == "prod" && [true, false].include?(version.canary), "getVersion: #{version.inspect}")
puts "ok getVersion"

begin
  client.get_pet(99)
  check(false, "getPet(99) succeeded")
rescue Petstore::ApiError => e
  check(e.status == 404 && e.message == "no such pet", "getPet(99): #{e.status} #{e.message}")
  check(e.body.include?("no such pet"), "getPet(99): body #{e.body.inspect}")
end
puts "ok error"
