import com.example.petstore.GetVersionOptions;
import com.example.petstore.NewPet;
import com.example.petstore.Pet;
import com.example.petstore.PetstoreClient;
import com.example.petstore.PetstoreException;
import com.example.petstore.SearchPetsOptions;
import com.example.petstore.SearchResult;
import com.example.petstore.Version;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls every operation of the pet store's prod stage through the generated Java SDK and checks
 * the answers, printing "ok NAME" for each operation and "ok error" for the error check. It reads
 * the gateway's URL and credentials from the GATEKIT_* environment variables, and exits with
 * status 1 at the first check that fails.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the checks.
     *
     * @param args not used
     * @throws Exception if a call fails
     */
    public static void main(String[] args) throws Exception {
        // GATEKIT_BASE_URL ends with the stage: set endpoint and stage apart.
        String base = System.getenv("GATEKIT_BASE_URL");
        int slash = base.lastIndexOf('/');
        PetstoreClient client = PetstoreClient.builder()
                .endpoint(base.substring(0, slash))
                .stage(base.substring(slash + 1))
                .apiKey(System.getenv("GATEKIT_API_KEY"))
                .bearerToken(System.getenv("GATEKIT_TOKEN"))
                .credentials(System.getenv("GATEKIT_ACCESS_KEY"), System.getenv("GATEKIT_SECRET_KEY"))
                .region(System.getenv("GATEKIT_REGION"))
                .timeout(Duration.ofSeconds(30))
                .build();

        check(hasFido(client.listPets()), "listPets: no Fido the dog with id 1");
        ok("listPets");

        Pet fido = client.getPet(1);
        check(fido.getId() == 1 && "Fido".equals(fido.getName()) && "dog".equals(fido.getType()),
                "getPet(1): " + fido);
        ok("getPet");

        SearchResult dogs = client.searchPets(new SearchPetsOptions().type("dog"));
        check("dog".equals(dogs.getType()) && !dogs.getPets().isEmpty(), "searchPets: " + dogs);
        for (Pet pet : dogs.getPets()) {
            check("dog".equals(pet.getType()), "searchPets found a " + pet.getType());
        }
        check(dogs.getSearchedAt() != null && !dogs.getSearchedAt().isEmpty(), "searchPets: no searchedAt");
        ok("searchPets");

        NewPet rex = new NewPet("Rex");
        rex.setType("dog");
        Pet created = client.createPet(rex);
        check(created.getId() > 2 && "Rex".equals(created.getName()) && "dog".equals(created.getType()),
                "createPet: " + created);
        check(client.getPet(created.getId()).equals(created), "getPet does not find the new pet");
        ok("createPet");

        // A name with a space and a slash: both must be escaped in the path.
        Map<?, ?> owner = (Map<?, ?>) client.getOwner("ann o/neil");
        check("ann o/neil".equals(owner.get("owner")), "getOwner: " + owner);
        ok("getOwner");

        Map<?, ?> stock = (Map<?, ?>) client.inventory("GET", "stock/kibble");
        check("kibble".equals(stock.get("item")) && "prod".equals(stock.get("env")), "inventory: " + stock);
        ok("inventory");

        check(hasFido(client.listPartnerPets()), "listPartnerPets: no Fido the dog with id 1");
        ok("listPartnerPets");

        NewPet tom = new NewPet("Tom Jr.");
        tom.setType("cat");
        Pet signed = client.createSignedPet(tom);
        check(signed.getId() > 2 && "Tom Jr.".equals(signed.getName()), "createSignedPet: " + signed);
        ok("createSignedPet");

        Map<?, ?> stats = (Map<?, ?>) client.getStats();
        check(stats.get("pets") instanceof Number && ((Number) stats.get("pets")).longValue() >= 4,
                "getStats: " + stats);
        ok("getStats");

        check("ok\n".equals(client.health()), "health");
        ok("health");

        Version version = client.getVersion(new GetVersionOptions().xClientVersion("java/1.0"));
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
