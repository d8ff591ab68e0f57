import com.example.petstore.GetVersionOptions;
import com.example.petstore.NewPet;
import com.example.petstore.Pet;
import com.example.petstore.PetstoreClient;
import com.example.petstore.PetstoreException;
import com.example.petstore.SearchPetsOptions;
import com.example.petstore.SearchResult;
import com.example.petstore.Version;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The checks of the Java and the Android SDK's drivers, which both SDKs pass: they call every
 * operation of the pet store's prod stage through the generated client and check the answers,
 * printing "ok NAME" for each operation and "ok error" for the error check, and exit with status 1
 * at the first check that fails. The client is configured from the GATEKIT_* environment
 * variables. It compiles for Java 8, as the Android SDK does.
 */
final class Checks {
    private Checks() {
    }

    /**
     * Returns a builder of a client of the gateway and with the credentials the GATEKIT_*
     * environment variables give.
     *
     * @return the builder
     */
    static PetstoreClient.Builder builder() {
        // GATEKIT_BASE_URL ends with the stage: set endpoint and stage apart.
        String base = System.getenv("GATEKIT_BASE_URL");
        int slash = base.lastIndexOf('/');
        return PetstoreClient.builder()
                .endpoint(base.substring(0, slash))
                .stage(base.substring(slash + 1))
                .apiKey(System.getenv("GATEKIT_API_KEY"))
                .bearerToken(System.getenv("GATEKIT_TOKEN"))
                .credentials(System.getenv("GATEKIT_ACCESS_KEY"), System.getenv("GATEKIT_SECRET_KEY"))
                .region(System.getenv("GATEKIT_REGION"));
    }

    /**
     * Runs the checks.
     *
     * @param client the client to call
     * @param flavour the SDK's flavour ("java", "android"), which getVersion sends
     * @throws Exception if a call fails
     */
    static void run(PetstoreClient client, String flavour) throws Exception {
        check(hasFido(client.listPets()), "listPets: no Fido the dog with id 1");
        ok("listPets");

        Pet fido = client.getPet(1);
        check(fido.getId() == 1 && "Fido".equals(fido.getName()) && "dog".equals(fido.getType()),
                "getPet(1): " + fido);
        ok("getPet");

        // Without a page and with one.
        for (SearchPetsOptions options : Arrays.asList(new SearchPetsOptions().type("dog"),
                new SearchPetsOptions().type("dog").page(1))) {
            SearchResult dogs = client.searchPets(options);
            check("dog".equals(dogs.getType()) && !dogs.getPets().isEmpty(), "searchPets: " + dogs);
            for (Pet pet : dogs.getPets()) {
                check("dog".equals(pet.getType()), "searchPets found a " + pet.getType());
            }
            check(dogs.getSearchedAt() != null && !dogs.getSearchedAt().isEmpty(), "searchPets: no searchedAt");
        }
        ok("searchPets");

        NewPet rex = new NewPet("Rex");
        rex.setType("dog");
        Pet created = client.createPet(rex);
        check(created.getId() > 2 && "Rex".equals(created.getName()) && "dog".equals(created.getType()),
                "createPet: " + created);
        check(client.getPet(created.getId()).equals(created), "getPet does not find the new pet");
        ok("createPet");

        // A space and a slash, then non-ASCII and an ampersand: all must be escaped in the path.
        for (String name : Arrays.asList("ann o/neil", "zoë & co")) {
            Map<?, ?> owner = (Map<?, ?>) client.getOwner(name);
            check(name.equals(owner.get("owner")), "getOwner: " + owner);
        }
        ok("getOwner");

        Map<?, ?> stock = (Map<?, ?>) client.inventory("GET", "stock/kibble");
        check("kibble".equals(stock.get("item")) && "prod".equals(stock.get("env")), "inventory: " + stock);
        ok("inventory");

        check(hasFido(client.listPartnerPets()), "listPartnerPets: no Fido the dog with id 1");
        ok("listPartnerPets");

        // With an optional field and without.
        NewPet tom = new NewPet("Tom Jr.");
        tom.setType("cat");
        for (NewPet pet : Arrays.asList(tom, new NewPet("Felix"))) {
            Pet signed = client.createSignedPet(pet);
            check(signed.getId() > 2 && pet.getName().equals(signed.getName()), "createSignedPet: " + signed);
        }
        ok("createSignedPet");

        Map<?, ?> stats = (Map<?, ?>) client.getStats();
        check(stats.get("pets") instanceof Number && ((Number) stats.get("pets")).longValue() >= 4,
                "getStats: " + stats);
        ok("getStats");

        check("ok\n".equals(client.health()), "health");
        ok("health");

        Version version = client.getVersion(new GetVersionOptions().xClientVersion(flavour + "/1.0"));
        check("prod".equals(version.getStage()) && version.getVersion() != null
                && Boolean.FALSE.equals(version.getCanary()), "getVersion: " + version);
        ok("getVersion");

        try {
            client.getPet(99);
            check(false, "getPet(99) did not throw");
        } catch (PetstoreException e) {
            check(e.getStatus() == 404 && "no such pet".equals(e.getMessage()) && e.getBody().contains("no such pet"),
                    "getPet(99): " + e.getStatus() + " " + e.getMessage() + " " + e.getBody());
        }
        ok("error");
    }

    private static boolean hasFido(List<Pet> pets) {
        for (Pet pet : pets) {
            if (pet.getId() == 1) {
                return "Fido".equals(pet.getName()) && "dog".equals(pet.getType());
            }
        }
        return false;
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            System.out.println("FAIL " + failure);
            System.exit(1);
        }
    }

    private static void ok(String name) {
        System.out.println("ok " + name);
    }
}
